import type { QueryRunner, TableColumnOptions } from 'typeorm';

/**
 * Column builders for migrations, so one migration file creates the same
 * schema on MySQL/MariaDB and on the embedded SQLite.
 */
export function isMysql(queryRunner: QueryRunner): boolean {
  const { type } = queryRunner.connection.options;
  return type === 'mysql' || type === 'mariadb';
}

export function idColumn(): TableColumnOptions {
  return { name: 'id', type: 'varchar', length: '36', isPrimary: true };
}

export function uuidColumn(name: string, isNullable = false): TableColumnOptions {
  return { name, type: 'varchar', length: '36', isNullable };
}

export function datetimeColumn(name: string, isNullable = false): TableColumnOptions {
  return { name, type: 'datetime', precision: 3, isNullable };
}

export function timestampColumns(queryRunner: QueryRunner): TableColumnOptions[] {
  const now = isMysql(queryRunner) ? 'CURRENT_TIMESTAMP(3)' : "datetime('now')";
  return [
    { name: 'created_at', type: 'datetime', precision: 3, default: now },
    {
      name: 'updated_at',
      type: 'datetime',
      precision: 3,
      default: now,
      ...(isMysql(queryRunner) ? { onUpdate: 'CURRENT_TIMESTAMP(3)' } : {}),
    },
  ];
}
