import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { datetimeColumn, idColumn, timestampColumns, uuidColumn } from './columns';

const restaurantFk = (): TableForeignKey =>
  new TableForeignKey({
    columnNames: ['restaurant_id'],
    referencedTableName: 'restaurants',
    referencedColumnNames: ['id'],
    onDelete: 'RESTRICT',
    onUpdate: 'RESTRICT',
  });

export class CreateTenancyAndAuth1763900000000 implements MigrationInterface {
  name = 'CreateTenancyAndAuth1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'restaurants',
        columns: [
          idColumn(),
          { name: 'name', type: 'varchar', length: '120' },
          { name: 'slug', type: 'varchar', length: '63' },
          { name: 'currency', type: 'varchar', length: '3' },
          { name: 'timezone', type: 'varchar', length: '64' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'plan_code', type: 'varchar', length: '32' },
          ...timestampColumns(queryRunner),
        ],
        indices: [
          new TableIndex({ name: 'uq_restaurants_slug', columnNames: ['slug'], isUnique: true }),
          new TableIndex({ name: 'ix_restaurants_status', columnNames: ['status'] }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          idColumn(),
          uuidColumn('restaurant_id', true),
          { name: 'email', type: 'varchar', length: '254' },
          { name: 'name', type: 'varchar', length: '120' },
          { name: 'role', type: 'varchar', length: '16' },
          { name: 'password_hash', type: 'varchar', length: '255' },
          { name: 'is_active', type: 'boolean', default: true },
          datetimeColumn(queryRunner, 'last_login_at', true),
          { name: 'failed_login_count', type: 'int', default: 0 },
          datetimeColumn(queryRunner, 'failed_login_window_start', true),
          datetimeColumn(queryRunner, 'locked_until', true),
          ...timestampColumns(queryRunner),
        ],
        indices: [
          new TableIndex({ name: 'uq_users_email', columnNames: ['email'], isUnique: true }),
          new TableIndex({ name: 'ix_users_restaurant', columnNames: ['restaurant_id'] }),
        ],
        foreignKeys: [restaurantFk()],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'refresh_tokens',
        columns: [
          idColumn(),
          uuidColumn('family_id'),
          uuidColumn('user_id'),
          { name: 'token_hash', type: 'varchar', length: '64' },
          datetimeColumn(queryRunner, 'expires_at'),
          datetimeColumn(queryRunner, 'rotated_at', true),
          datetimeColumn(queryRunner, 'revoked_at', true),
          ...timestampColumns(queryRunner),
        ],
        indices: [
          new TableIndex({ name: 'uq_refresh_tokens_hash', columnNames: ['token_hash'], isUnique: true }),
          new TableIndex({ name: 'ix_refresh_tokens_family', columnNames: ['family_id'] }),
          new TableIndex({ name: 'ix_refresh_tokens_user', columnNames: ['user_id'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
            onUpdate: 'RESTRICT',
          }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'api_keys',
        columns: [
          idColumn(),
          uuidColumn('restaurant_id'),
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'prefix', type: 'varchar', length: '24' },
          { name: 'key_hash', type: 'varchar', length: '64' },
          { name: 'scopes', type: 'varchar', length: '255' },
          uuidColumn('created_by', true),
          datetimeColumn(queryRunner, 'last_used_at', true),
          datetimeColumn(queryRunner, 'revoked_at', true),
          ...timestampColumns(queryRunner),
        ],
        indices: [
          new TableIndex({ name: 'uq_api_keys_prefix', columnNames: ['prefix'], isUnique: true }),
          new TableIndex({ name: 'ix_api_keys_restaurant', columnNames: ['restaurant_id', 'created_at'] }),
        ],
        foreignKeys: [restaurantFk()],
      }),
    );

    await queryRunner.createForeignKey('idempotency_keys', restaurantFk());
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const idempotency = await queryRunner.getTable('idempotency_keys');
    const fk = idempotency?.foreignKeys.find((key) => key.columnNames.includes('restaurant_id'));
    if (fk) await queryRunner.dropForeignKey('idempotency_keys', fk);
    await queryRunner.dropTable('api_keys');
    await queryRunner.dropTable('refresh_tokens');
    await queryRunner.dropTable('users');
    await queryRunner.dropTable('restaurants');
  }
}
