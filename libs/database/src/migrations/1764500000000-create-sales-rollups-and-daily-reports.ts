import { Table, TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { datetimeColumn } from './columns';

const key = (name: string, length: string) => ({ name, type: 'varchar', length, isPrimary: true });

/**
 * Sales reports:
 * - `order_lines.category_id`: the item's category, copied at placement;
 *   existing lines get their item's current category (null if the item row is gone).
 * - `sales_hourly` and `sales_daily_items`: the rollups payments maintain
 *   (derived data of orders, owned by the orders library). They start empty:
 *   run `npm run cli -- reports:rebuild` for history paid before this migration.
 * - `daily_reports`: one stored daily report per restaurant and business date.
 * No foreign keys: rollups and reports are derived rows, rebuilt or replaced, never joined for integrity.
 */
export class CreateSalesRollupsAndDailyReports1764500000000 implements MigrationInterface {
  name = 'CreateSalesRollupsAndDailyReports1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'order_lines',
      new TableColumn({ name: 'category_id', type: 'varchar', length: '36', isNullable: true }),
    );
    await queryRunner.query(
      'UPDATE order_lines SET category_id = (SELECT mi.category_id FROM menu_items mi WHERE mi.id = order_lines.menu_item_id)',
    );
    await queryRunner.createTable(
      new Table({
        name: 'sales_hourly',
        columns: [
          key('restaurant_id', '36'),
          key('business_date', '10'),
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
        name: 'sales_daily_items',
        columns: [
          key('restaurant_id', '36'),
          key('business_date', '10'),
          key('menu_item_id', '36'),
          { name: 'category_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'name', type: 'varchar', length: '120' },
          { name: 'quantity', type: 'int' },
          { name: 'revenue', type: 'bigint' },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'daily_reports',
        columns: [
          key('restaurant_id', '36'),
          key('business_date', '10'),
          { name: 'currency', type: 'varchar', length: '3' },
          { name: 'report', type: 'text' },
          datetimeColumn(queryRunner, 'generated_at'),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['daily_reports', 'sales_daily_items', 'sales_hourly']) await queryRunner.dropTable(table);
    await queryRunner.dropColumn('order_lines', 'category_id');
  }
}
