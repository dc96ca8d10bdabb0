import { Table, TableColumn, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { datetimeColumn, idColumn, restaurantForeignKey, timestampColumns, uuidColumn } from './columns';

const PERIOD_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * `subscriptions`: one row per restaurant, the single source of its plan (the
 * `restaurants.plan_code` column it replaces is dropped after the backfill).
 * Restaurants that exist already get an `active` subscription on the plan they
 * had, with a period starting now: nobody is put on a trial they did not ask for.
 *
 * `audit_log`: append-only, not tenant-owned (sysadmin actions have no
 * restaurant, and a row must outlive whatever it describes), so no foreign keys.
 *
 * `order_counters.business_date` gets an index for the platform's "orders today".
 */
export class CreateSubscriptionsAndAuditLog1764400000000 implements MigrationInterface {
  name = 'CreateSubscriptionsAndAuditLog1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'subscriptions',
        columns: [
          idColumn(),
          uuidColumn('restaurant_id'),
          { name: 'plan_code', type: 'varchar', length: '32' },
          { name: 'status', type: 'varchar', length: '16' },
          datetimeColumn(queryRunner, 'current_period_start'),
          datetimeColumn(queryRunner, 'current_period_end'),
          { name: 'cancel_at_period_end', type: 'boolean', default: false },
          datetimeColumn(queryRunner, 'past_due_since', true),
          ...timestampColumns(queryRunner),
        ],
        indices: [
          new TableIndex({ name: 'uq_subscriptions_restaurant', columnNames: ['restaurant_id'], isUnique: true }),
          new TableIndex({ name: 'ix_subscriptions_status_period', columnNames: ['status', 'current_period_end'] }),
          new TableIndex({ name: 'ix_subscriptions_plan', columnNames: ['plan_code'] }),
        ],
        foreignKeys: [
          restaurantForeignKey(),
          new TableForeignKey({
            columnNames: ['plan_code'],
            referencedTableName: 'plans',
            referencedColumnNames: ['code'],
            onDelete: 'RESTRICT',
            onUpdate: 'RESTRICT',
          }),
        ],
      }),
    );

    const escape = (name: string): string => queryRunner.connection.driver.escape(name);
    const restaurants = (await queryRunner.query(
      `SELECT ${escape('id')}, ${escape('plan_code')} FROM ${escape('restaurants')}`,
    )) as { id: string; plan_code: string }[];
    const start = new Date();
    const end = new Date(start.getTime() + PERIOD_MS);
    for (const restaurant of restaurants) {
      await queryRunner.query(
        `INSERT INTO ${escape('subscriptions')} (id, restaurant_id, plan_code, status, current_period_start, current_period_end, cancel_at_period_end) VALUES (?, ?, ?, 'active', ?, ?, ?)`,
        [uuidv7(), restaurant.id, restaurant.plan_code, start, end, false],
      );
    }
    // Plain SQL: MariaDB and SQLite (3.35+) both drop an unindexed column in place.
    await queryRunner.query(`ALTER TABLE ${escape('restaurants')} DROP COLUMN ${escape('plan_code')}`);

    await queryRunner.createTable(
      new Table({
        name: 'audit_log',
        columns: [
          idColumn(),
          datetimeColumn(queryRunner, 'at'),
          uuidColumn('actor_id', true),
          { name: 'actor_role', type: 'varchar', length: '16', isNullable: true },
          uuidColumn('restaurant_id', true),
          { name: 'action', type: 'varchar', length: '48' },
          { name: 'target_type', type: 'varchar', length: '32' },
          { name: 'target_id', type: 'varchar', length: '64', isNullable: true },
          { name: 'before', type: 'text', isNullable: true },
          { name: 'after', type: 'text', isNullable: true },
          { name: 'request_id', type: 'varchar', length: '128', isNullable: true },
          { name: 'ip', type: 'varchar', length: '64', isNullable: true },
        ],
        indices: [
          new TableIndex({ name: 'ix_audit_log_at', columnNames: ['at', 'id'] }),
          new TableIndex({ name: 'ix_audit_log_restaurant_at', columnNames: ['restaurant_id', 'at'] }),
          new TableIndex({ name: 'ix_audit_log_actor_at', columnNames: ['actor_id', 'at'] }),
          new TableIndex({ name: 'ix_audit_log_action_at', columnNames: ['action', 'at'] }),
        ],
      }),
    );

    await queryRunner.createIndex(
      'order_counters',
      new TableIndex({ name: 'ix_order_counters_business_date', columnNames: ['business_date'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('order_counters', 'ix_order_counters_business_date');
    await queryRunner.dropTable('audit_log');
    await queryRunner.addColumn(
      'restaurants',
      new TableColumn({ name: 'plan_code', type: 'varchar', length: '32', default: "'free'" }),
    );
    const escape = (name: string): string => queryRunner.connection.driver.escape(name);
    await queryRunner.query(
      `UPDATE ${escape('restaurants')} SET ${escape('plan_code')} = (SELECT s.plan_code FROM ${escape('subscriptions')} s WHERE s.restaurant_id = ${escape('restaurants')}.id) WHERE EXISTS (SELECT 1 FROM ${escape('subscriptions')} s WHERE s.restaurant_id = ${escape('restaurants')}.id)`,
    );
    await queryRunner.dropTable('subscriptions');
  }
}
