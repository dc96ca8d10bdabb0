import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { datetimeColumn, idColumn, restaurantForeignKey, timestampColumns, uuidColumn } from './columns';

/**
 * Outgoing webhooks (libs/webhooks):
 * - `webhook_endpoints`: a restaurant's receivers, their event types and signing secret;
 * - `webhook_outbox`: the transactional outbox, one row per event, written in the
 *   transaction of the change; no foreign key (an event outlives what it describes);
 * - `webhook_deliveries`: one event for one endpoint, unique per pair (the relay is idempotent);
 * - `webhook_delivery_attempts`: the delivery log, one row per attempt.
 */
export class CreateWebhooks1764700000000 implements MigrationInterface {
  name = 'CreateWebhooks1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'webhook_endpoints',
        columns: [
          idColumn(),
          ...timestampColumns(queryRunner),
          uuidColumn('restaurant_id'),
          { name: 'url', type: 'varchar', length: '2048' },
          { name: 'description', type: 'varchar', length: '255' },
          { name: 'events', type: 'varchar', length: '255' },
          { name: 'secret', type: 'varchar', length: '64' },
          { name: 'is_enabled', type: 'boolean', default: true },
          { name: 'disabled_reason', type: 'varchar', length: '255', isNullable: true },
          { name: 'consecutive_failures', type: 'int', default: 0 },
        ],
        indices: [
          new TableIndex({ name: 'ix_webhook_endpoints_restaurant', columnNames: ['restaurant_id', 'created_at'] }),
        ],
        foreignKeys: [restaurantForeignKey()],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'webhook_outbox',
        columns: [
          idColumn(),
          uuidColumn('restaurant_id'),
          { name: 'type', type: 'varchar', length: '64' },
          { name: 'payload', type: 'text' },
          datetimeColumn(queryRunner, 'occurred_at'),
          datetimeColumn(queryRunner, 'relayed_at', true),
        ],
        indices: [new TableIndex({ name: 'ix_webhook_outbox_relayed', columnNames: ['relayed_at', 'id'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'webhook_deliveries',
        columns: [
          idColumn(),
          ...timestampColumns(queryRunner),
          uuidColumn('restaurant_id'),
          uuidColumn('endpoint_id'),
          uuidColumn('event_id'),
          { name: 'event_type', type: 'varchar', length: '64' },
          { name: 'body', type: 'text' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'attempts', type: 'int', default: 0 },
          datetimeColumn(queryRunner, 'next_attempt_at', true),
        ],
        indices: [
          new TableIndex({
            name: 'uq_webhook_deliveries_endpoint_event',
            columnNames: ['endpoint_id', 'event_id'],
            isUnique: true,
          }),
          new TableIndex({ name: 'ix_webhook_deliveries_due', columnNames: ['status', 'next_attempt_at'] }),
        ],
        foreignKeys: [restaurantForeignKey()],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'webhook_delivery_attempts',
        columns: [
          idColumn(),
          ...timestampColumns(queryRunner),
          uuidColumn('restaurant_id'),
          uuidColumn('endpoint_id'),
          uuidColumn('delivery_id'),
          uuidColumn('event_id'),
          { name: 'event_type', type: 'varchar', length: '64' },
          { name: 'attempt', type: 'int' },
          { name: 'succeeded', type: 'boolean' },
          { name: 'status_code', type: 'int', isNullable: true },
          { name: 'duration_ms', type: 'int' },
          { name: 'error', type: 'varchar', length: '500', isNullable: true },
          { name: 'response_body', type: 'text', isNullable: true },
        ],
        indices: [
          new TableIndex({
            name: 'ix_webhook_attempts_endpoint',
            columnNames: ['restaurant_id', 'endpoint_id', 'created_at', 'id'],
          }),
          new TableIndex({ name: 'ix_webhook_attempts_delivery', columnNames: ['delivery_id', 'attempt'] }),
        ],
        foreignKeys: [restaurantForeignKey()],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('webhook_delivery_attempts');
    await queryRunner.dropTable('webhook_deliveries');
    await queryRunner.dropTable('webhook_outbox');
    await queryRunner.dropTable('webhook_endpoints');
  }
}
