import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

const key = (name: string, length: string) => ({ name, type: 'varchar', length, isPrimary: true });

/**
 * The statements that sum the daily rollups into the monthly ones, for every
 * restaurant (`where` empty) or those a `WHERE` on `restaurant_id` selects
 * (seed:load fills one restaurant with them, as this migration fills all).
 */
export function fillMonthlyRollupsSql(where: string): string[] {
  return [
    'INSERT INTO sales_monthly_hourly (restaurant_id, month, hour, order_count, revenue, tax, tips) ' +
      'SELECT restaurant_id, SUBSTR(business_date, 1, 7), hour, SUM(order_count), SUM(revenue), SUM(tax), SUM(tips) ' +
      `FROM sales_hourly ${where} GROUP BY restaurant_id, SUBSTR(business_date, 1, 7), hour`,
    'INSERT INTO sales_monthly_items (restaurant_id, month, menu_item_id, category_id, name, quantity, revenue, last_day) ' +
      'SELECT m.restaurant_id, m.month, m.menu_item_id, d.category_id, d.name, m.quantity, m.revenue, m.last_day FROM (' +
      'SELECT restaurant_id, SUBSTR(business_date, 1, 7) AS month, menu_item_id, SUM(quantity) AS quantity, SUM(revenue) AS revenue, MAX(business_date) AS last_day ' +
      `FROM sales_daily_items ${where} GROUP BY restaurant_id, SUBSTR(business_date, 1, 7), menu_item_id) m ` +
      'JOIN sales_daily_items d ON d.restaurant_id = m.restaurant_id AND d.business_date = m.last_day AND d.menu_item_id = m.menu_item_id',
  ];
}

/**
 * `sales_monthly_hourly` and `sales_monthly_items`: the daily rollups summed
 * per calendar month, so a dashboard over a year reads about 11 months of rows
 * and 31 days of rows instead of 365 days. Filled here from the daily rows
 * (an item's name and category are those of its last day in the month), then
 * maintained by payments and rebuilds together with the daily rows.
 */
export class CreateMonthlySalesRollups1764550000000 implements MigrationInterface {
  name = 'CreateMonthlySalesRollups1764550000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'sales_monthly_hourly',
        columns: [
          key('restaurant_id', '36'),
          key('month', '7'),
          { name: 'hour', type: 'smallint', isPrimary: true },
          { name: 'order_count', type: 'int' },
          { name: 'revenue', type: 'bigint' },
          { name: 'tax', type: 'bigint' },
          { name: 'tips', type: 'bigint' },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'sales_monthly_items',
        columns: [
          key('restaurant_id', '36'),
          key('month', '7'),
          key('menu_item_id', '36'),
          { name: 'category_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'name', type: 'varchar', length: '120' },
          { name: 'quantity', type: 'int' },
          { name: 'revenue', type: 'bigint' },
          { name: 'last_day', type: 'varchar', length: '10' },
        ],
      }),
    );
    for (const sql of fillMonthlyRollupsSql('')) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['sales_monthly_items', 'sales_monthly_hourly']) await queryRunner.dropTable(table);
  }
}
