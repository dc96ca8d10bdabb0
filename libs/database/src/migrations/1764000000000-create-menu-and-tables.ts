import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { idColumn, restaurantForeignKey, softDeleteColumns, timestampColumns, uuidColumn } from './columns';

const parent = (column: string, table: string, onDelete: 'RESTRICT' | 'CASCADE'): TableForeignKey =>
  new TableForeignKey({
    columnNames: [column],
    referencedTableName: table,
    referencedColumnNames: ['id'],
    onDelete,
    onUpdate: 'RESTRICT',
  });

export class CreateMenuAndTables1764000000000 implements MigrationInterface {
  name = 'CreateMenuAndTables1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'menu_categories',
        columns: [
          idColumn(),
          uuidColumn('restaurant_id'),
          { name: 'name', type: 'varchar', length: '120' },
          { name: 'description', type: 'varchar', length: '500' },
          { name: 'position', type: 'int', default: 0 },
          { name: 'is_active', type: 'boolean', default: true },
          ...softDeleteColumns(queryRunner),
          ...timestampColumns(queryRunner),
        ],
        indices: [
          new TableIndex({
            name: 'ix_menu_categories_restaurant_position',
            columnNames: ['restaurant_id', 'position'],
          }),
          new TableIndex({
            name: 'uq_menu_categories_restaurant_name',
            columnNames: ['restaurant_id', 'name', 'alive'],
            isUnique: true,
          }),
        ],
        foreignKeys: [restaurantForeignKey()],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'menu_items',
        columns: [
          idColumn(),
          uuidColumn('restaurant_id'),
          uuidColumn('category_id'),
          { name: 'name', type: 'varchar', length: '120' },
          { name: 'description', type: 'varchar', length: '1000' },
          { name: 'price', type: 'int' },
          { name: 'tax_rate_bps', type: 'int', default: 0 },
          { name: 'sku', type: 'varchar', length: '64', isNullable: true },
          { name: 'is_available', type: 'boolean', default: true },
          { name: 'position', type: 'int', default: 0 },
          { name: 'version', type: 'int', default: 1 },
          ...softDeleteColumns(queryRunner),
          ...timestampColumns(queryRunner),
        ],
        indices: [
          new TableIndex({
            name: 'ix_menu_items_restaurant_category_position',
            columnNames: ['restaurant_id', 'category_id', 'position'],
          }),
          new TableIndex({
            name: 'ix_menu_items_restaurant_available',
            columnNames: ['restaurant_id', 'is_available'],
          }),
          new TableIndex({
            name: 'uq_menu_items_restaurant_name',
            columnNames: ['restaurant_id', 'name', 'alive'],
            isUnique: true,
          }),
          new TableIndex({
            name: 'uq_menu_items_restaurant_sku',
            columnNames: ['restaurant_id', 'sku', 'alive'],
            isUnique: true,
          }),
        ],
        foreignKeys: [restaurantForeignKey(), parent('category_id', 'menu_categories', 'RESTRICT')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'modifier_groups',
        columns: [
          idColumn(),
          uuidColumn('restaurant_id'),
          uuidColumn('item_id'),
          { name: 'name', type: 'varchar', length: '80' },
          { name: 'min_select', type: 'int' },
          { name: 'max_select', type: 'int' },
          { name: 'position', type: 'int' },
          ...timestampColumns(queryRunner),
        ],
        indices: [
          new TableIndex({ name: 'ix_modifier_groups_item', columnNames: ['restaurant_id', 'item_id', 'position'] }),
        ],
        foreignKeys: [restaurantForeignKey(), parent('item_id', 'menu_items', 'CASCADE')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'modifier_options',
        columns: [
          idColumn(),
          uuidColumn('restaurant_id'),
          uuidColumn('group_id'),
          { name: 'name', type: 'varchar', length: '80' },
          { name: 'price_delta', type: 'int' },
          { name: 'is_available', type: 'boolean', default: true },
          { name: 'position', type: 'int' },
          ...timestampColumns(queryRunner),
        ],
        indices: [
          new TableIndex({ name: 'ix_modifier_options_group', columnNames: ['restaurant_id', 'group_id', 'position'] }),
        ],
        foreignKeys: [restaurantForeignKey(), parent('group_id', 'modifier_groups', 'CASCADE')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'dining_tables',
        columns: [
          idColumn(),
          uuidColumn('restaurant_id'),
          { name: 'label', type: 'varchar', length: '40' },
          { name: 'seats', type: 'int', default: 2 },
          { name: 'is_active', type: 'boolean', default: true },
          { name: 'qr_token', type: 'varchar', length: '43' },
          ...softDeleteColumns(queryRunner),
          ...timestampColumns(queryRunner),
        ],
        indices: [
          new TableIndex({
            name: 'uq_dining_tables_restaurant_label',
            columnNames: ['restaurant_id', 'label', 'alive'],
            isUnique: true,
          }),
          new TableIndex({ name: 'uq_dining_tables_qr_token', columnNames: ['qr_token'], isUnique: true }),
        ],
        foreignKeys: [restaurantForeignKey()],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['dining_tables', 'modifier_options', 'modifier_groups', 'menu_items', 'menu_categories']) {
      await queryRunner.dropTable(table);
    }
  }
}
