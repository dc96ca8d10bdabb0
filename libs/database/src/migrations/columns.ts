import { TableForeignKey, type DataSource, type QueryRunner, type TableColumnOptions } from 'typeorm';

/**
 * Column builders for migrations, so one migration file creates the same
 * schema on MySQL/MariaDB and on the embedded SQLite.
 */
/** True on MySQL/MariaDB; takes a query runner (migrations) or an entity manager (repositories). */
export function isMysql(on: { connection: DataSource }): boolean {
  const { type } = on.connection.options;
  return type === 'mysql' || type === 'mariadb';
}

export function idColumn(): TableColumnOptions {
  return { name: 'id', type: 'varchar', length: '36', isPrimary: true };
}

export function uuidColumn(name: string, isNullable = false): TableColumnOptions {
  return { name, type: 'varchar', length: '36', isNullable };
}

/** Microsecond datetimes on MySQL/MariaDB (ordering and keyset paging need more than seconds). */
export function datetimeColumn(queryRunner: QueryRunner, name: string, isNullable = false): TableColumnOptions {
  return { name, type: 'datetime', ...(isMysql(queryRunner) ? { precision: 6 } : {}), isNullable };
}

/** `created_at`/`updated_at` as TypeORM's CreateDateColumn/UpdateDateColumn expect them on each driver. */
export function timestampColumns(queryRunner: QueryRunner): TableColumnOptions[] {
  if (!isMysql(queryRunner)) {
    return [
      { name: 'created_at', type: 'datetime', default: "datetime('now')" },
      { name: 'updated_at', type: 'datetime', default: "datetime('now')" },
    ];
  }
  const now = 'CURRENT_TIMESTAMP(6)';
  return [
    { name: 'created_at', type: 'datetime', precision: 6, default: now },
    { name: 'updated_at', type: 'datetime', precision: 6, default: now, onUpdate: now },
  ];
}

/** `restaurant_id` → `restaurants.id`, as TenantOwnedEntity declares it. */
export function restaurantForeignKey(): TableForeignKey {
  return new TableForeignKey({
    columnNames: ['restaurant_id'],
    referencedTableName: 'restaurants',
    referencedColumnNames: ['id'],
    onDelete: 'RESTRICT',
    onUpdate: 'RESTRICT',
  });
}

/** The soft-delete pair: `deleted_at`, and `alive` (1, or null once deleted) for unique indexes over live rows. */
export function softDeleteColumns(queryRunner: QueryRunner): TableColumnOptions[] {
  return [
    { name: 'alive', type: 'smallint', isNullable: true, default: 1 },
    datetimeColumn(queryRunner, 'deleted_at', true),
  ];
}
