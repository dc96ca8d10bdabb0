import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { datetimeColumn, idColumn, timestampColumns, uuidColumn } from './columns';

export class CreateIdempotencyKeys1763800000000 implements MigrationInterface {
  name = 'CreateIdempotencyKeys1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'idempotency_keys',
        columns: [
          idColumn(),
          uuidColumn('restaurant_id'),
          { name: 'idem_key', type: 'varchar', length: '128' },
          { name: 'request_hash', type: 'varchar', length: '64' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'response_status', type: 'int', isNullable: true },
          { name: 'response_body', type: 'text', isNullable: true },
          datetimeColumn(queryRunner, 'expires_at'),
          ...timestampColumns(queryRunner),
        ],
        indices: [
          new TableIndex({
            name: 'uq_idempotency_keys_restaurant_key',
            columnNames: ['restaurant_id', 'idem_key'],
            isUnique: true,
          }),
          new TableIndex({ name: 'ix_idempotency_keys_expires_at', columnNames: ['expires_at'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('idempotency_keys');
  }
}
