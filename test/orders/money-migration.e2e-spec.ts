import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { MIGRATIONS } from '@coffee/database';
import { FULL_MODE } from '../support/env';
import { useScratchDatabase } from '../support/scratch-database';

/**
 * The BIGINT migration keeps every amount already stored (TypeORM's MySQL
 * changeColumn would drop and re-add a column whose type changes), and
 * afterwards a money column holds 10^12.
 */
describe('migration 1764200000000: money columns become BIGINT without losing amounts', () => {
  const { dataSource } = useScratchDatabase('money');

  it('keeps the INT-era amounts and then stores 10^12', async () => {
    const money = MIGRATIONS.find((migration) => migration.name === 'MoneyBigint1764200000000');
    if (!money) throw new Error('the money migration is not registered');
    const db = dataSource(MIGRATIONS.filter((migration) => migration !== money));
    await db.initialize();
    try {
      await db.runMigrations({ transaction: 'each' });
      const id = randomUUID();
      // Only the amounts matter here: foreign keys off (SQLite: for its single connection, outside a transaction).
      if (!FULL_MODE) await db.query('PRAGMA foreign_keys = OFF');
      await db.transaction(async (manager) => {
        if (FULL_MODE) await manager.query('SET FOREIGN_KEY_CHECKS = 0');
        await manager.query(
          'INSERT INTO menu_items (id, restaurant_id, category_id, name, description, price) VALUES (?, ?, ?, ?, ?, ?)',
          [id, randomUUID(), randomUUID(), 'Banquete', '', 2_147_483_647],
        );
      });
      const runner = db.createQueryRunner();
      try {
        await new money().up(runner);
      } finally {
        await runner.release();
      }
      const read = async (): Promise<number> => {
        const rows = await db.query<{ price: unknown }[]>('SELECT price FROM menu_items WHERE id = ?', [id]);
        return Number(rows[0]?.price);
      };
      expect(await read()).toBe(2_147_483_647);
      await db.query('UPDATE menu_items SET price = ? WHERE id = ?', [1_000_000_000_000, id]);
      expect(await read()).toBe(1_000_000_000_000);
    } finally {
      await db.destroy();
    }
  });
});
