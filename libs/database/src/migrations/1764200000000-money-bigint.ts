import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isMysql } from './columns';

/** Every money column, by table (all NOT NULL, without defaults). */
const MONEY_COLUMNS: Record<string, string[]> = {
  menu_items: ['price'],
  modifier_options: ['price_delta'],
  orders: ['subtotal', 'tax', 'discount', 'tip', 'total'],
  order_lines: ['unit_price', 'line_total', 'tax'],
};

async function retype(queryRunner: QueryRunner, type: 'bigint' | 'int'): Promise<void> {
  for (const [tableName, columns] of Object.entries(MONEY_COLUMNS)) {
    if (isMysql(queryRunner)) {
      // Not changeColumn: on MySQL it drops and re-adds a column whose type changes, losing its values.
      const modify = columns.map((name) => `MODIFY \`${name}\` ${type} NOT NULL`).join(', ');
      await queryRunner.query(`ALTER TABLE \`${tableName}\` ${modify}`);
      continue;
    }
    // SQLite rebuilds the table (copying its rows) on each change, so a table's columns go in one call.
    const table = await queryRunner.getTable(tableName);
    if (!table) throw new Error(`Table ${tableName} is missing`);
    await queryRunner.changeColumns(
      table,
      columns.map((name) => {
        const oldColumn = table.findColumnByName(name);
        if (!oldColumn) throw new Error(`Column ${tableName}.${name} is missing`);
        const newColumn = oldColumn.clone();
        newColumn.type = type;
        return { oldColumn, newColumn };
      }),
    );
  }
}

/**
 * Money columns become BIGINT: amounts reach 10^12 minor units, far beyond a
 * 32-bit INT. SQLite already stored 64-bit integers and only records the new
 * declared type. Reverting narrows them again, which fails on MariaDB
 * (strict mode) if an amount no longer fits in an INT rather than truncating it.
 */
export class MoneyBigint1764200000000 implements MigrationInterface {
  name = 'MoneyBigint1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await retype(queryRunner, 'bigint');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await retype(queryRunner, 'int');
  }
}
