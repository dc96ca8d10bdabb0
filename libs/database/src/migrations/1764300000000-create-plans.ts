import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/** The plan catalogue as the contract states it; null limits mean unlimited. */
const PLANS = [
  {
    code: 'free',
    name: 'Free',
    price_monthly: 0,
    currency: 'USD',
    max_users: 3,
    max_menu_items: 50,
    max_orders_per_month: 500,
    max_api_keys: 1,
    features: '',
    position: 1,
  },
  {
    code: 'pro',
    name: 'Pro',
    price_monthly: 2900,
    currency: 'USD',
    max_users: 20,
    max_menu_items: 500,
    max_orders_per_month: 10000,
    max_api_keys: 5,
    features: 'reports,api_keys,webhooks',
    position: 2,
  },
  {
    code: 'enterprise',
    name: 'Enterprise',
    price_monthly: 9900,
    currency: 'USD',
    max_users: null,
    max_menu_items: null,
    max_orders_per_month: null,
    max_api_keys: null,
    features: 'reports,api_keys,webhooks,priority_support',
    position: 3,
  },
];

/**
 * `plans`: global reference data (no restaurant_id), created and seeded here.
 * `features` is TEXT holding a comma-separated list (TypeORM's simple-array),
 * identical on MariaDB and SQLite.
 */
export class CreatePlans1764300000000 implements MigrationInterface {
  name = 'CreatePlans1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'plans',
        columns: [
          { name: 'code', type: 'varchar', length: '32', isPrimary: true },
          { name: 'name', type: 'varchar', length: '80' },
          { name: 'price_monthly', type: 'bigint' },
          { name: 'currency', type: 'varchar', length: '3' },
          { name: 'max_users', type: 'int', isNullable: true },
          { name: 'max_menu_items', type: 'int', isNullable: true },
          { name: 'max_orders_per_month', type: 'int', isNullable: true },
          { name: 'max_api_keys', type: 'int', isNullable: true },
          { name: 'features', type: 'text' },
          { name: 'position', type: 'int', default: 0 },
        ],
      }),
    );
    // Plain SQL with column names, not a query builder: that would map through today's entity and
    // tie this migration to it. `?` placeholders work on both mysql2 and SQLite.
    const escape = (name: string): string => queryRunner.connection.driver.escape(name);
    const columns = Object.keys(PLANS[0]);
    const insert = `INSERT INTO ${escape('plans')} (${columns.map((c) => escape(c)).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
    for (const plan of PLANS) await queryRunner.query(insert, Object.values(plan));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('plans');
  }
}
