import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { datetimeColumn, idColumn, restaurantForeignKey, timestampColumns, uuidColumn } from './columns';

const toOrder = (): TableForeignKey =>
  new TableForeignKey({
    columnNames: ['order_id'],
    referencedTableName: 'orders',
    referencedColumnNames: ['id'],
    onDelete: 'CASCADE',
    onUpdate: 'RESTRICT',
  });

export class CreateOrders1764100000000 implements MigrationInterface {
  name = 'CreateOrders1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'orders',
        columns: [
          idColumn(),
          uuidColumn('restaurant_id'),
          { name: 'number', type: 'int' },
          { name: 'business_date', type: 'varchar', length: '10' },
          { name: 'type', type: 'varchar', length: '16' },
          { name: 'status', type: 'varchar', length: '16' },
          uuidColumn('table_id', true),
          { name: 'customer_name', type: 'varchar', length: '120', isNullable: true },
          { name: 'notes', type: 'varchar', length: '500', isNullable: true },
          { name: 'subtotal', type: 'int' },
          { name: 'tax', type: 'int' },
          { name: 'discount', type: 'int' },
          { name: 'tip', type: 'int' },
          { name: 'total', type: 'int' },
          { name: 'payment_method', type: 'varchar', length: '16', isNullable: true },
          { name: 'version', type: 'int' },
          uuidColumn('created_by', true),
          datetimeColumn(queryRunner, 'paid_at', true),
          datetimeColumn(queryRunner, 'cancelled_at', true),
          ...timestampColumns(queryRunner),
        ],
        indices: [
          new TableIndex({
            name: 'ix_orders_restaurant_status_created',
            columnNames: ['restaurant_id', 'status', 'created_at'],
          }),
          new TableIndex({
            name: 'ix_orders_restaurant_created_id',
            columnNames: ['restaurant_id', 'created_at', 'id'],
          }),
          new TableIndex({
            name: 'uq_orders_restaurant_day_number',
            columnNames: ['restaurant_id', 'business_date', 'number'],
            isUnique: true,
          }),
        ],
        foreignKeys: [restaurantForeignKey()],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'order_lines',
        columns: [
          idColumn(),
          uuidColumn('restaurant_id'),
          uuidColumn('order_id'),
          uuidColumn('menu_item_id'),
          { name: 'name', type: 'varchar', length: '120' },
          { name: 'unit_price', type: 'int' },
          { name: 'quantity', type: 'int' },
          { name: 'line_total', type: 'int' },
          { name: 'tax', type: 'int' },
          { name: 'modifiers', type: 'text' },
          { name: 'notes', type: 'varchar', length: '500', isNullable: true },
          { name: 'position', type: 'int' },
          ...timestampColumns(queryRunner),
        ],
        indices: [
          new TableIndex({ name: 'ix_order_lines_order', columnNames: ['restaurant_id', 'order_id', 'position'] }),
        ],
        foreignKeys: [restaurantForeignKey(), toOrder()],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'order_status_history',
        columns: [
          idColumn(),
          uuidColumn('restaurant_id'),
          uuidColumn('order_id'),
          { name: 'from_status', type: 'varchar', length: '16', isNullable: true },
          { name: 'to_status', type: 'varchar', length: '16' },
          uuidColumn('changed_by', true),
          { name: 'reason', type: 'varchar', length: '500', isNullable: true },
          ...timestampColumns(queryRunner),
        ],
        indices: [
          new TableIndex({
            name: 'ix_order_status_history_order',
            columnNames: ['restaurant_id', 'order_id', 'created_at'],
          }),
        ],
        foreignKeys: [restaurantForeignKey(), toOrder()],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'order_counters',
        columns: [
          { name: 'restaurant_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'business_date', type: 'varchar', length: '10', isPrimary: true },
          { name: 'last_number', type: 'int' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['order_counters', 'order_status_history', 'order_lines', 'orders'])
      await queryRunner.dropTable(table);
  }
}
