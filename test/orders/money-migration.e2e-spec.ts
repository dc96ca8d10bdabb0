import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { databaseConfigFrom, validateEnvironment } from '@coffee/config';
import { buildDataSourceOptions, MIGRATIONS } from '@coffee/database';
import { ENTITIES } from '../../ormconfig';
import { FULL_MODE } from '../support/env';

/**
 * The BIGINT migration keeps every amount already stored (TypeORM's MySQL
 * changeColumn would drop and re-add a column whose type changes), and
 * afterwards a money column holds 10^12.
 */
describe('migration 1764200000000: money columns become BIGINT without losing amounts', () => {
  let scratchDatabase: string | undefined;
  let url: string | undefined;
  let sqlitePath: string | undefined;

  beforeAll(async () => {
    if (FULL_MODE) {
      const admin = new DataSource({ type: 'mysql', url: process.env.DATABASE_URL });
      await admin.initialize();
      scratchDatabase = `coffee_money_${randomBytes(4).toString('hex')}`;
      await admin.query(`CREATE DATABASE \`${scratchDatabase}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
      await admin.destroy();
      const scratch = new URL(process.env.DATABASE_URL ?? '');
      scratch.pathname = `/${scratchDatabase}`;
      url = scratch.toString();
    } else {
      sqlitePath = join(mkdtempSync(join(tmpdir(), 'coffee-money-')), 'money.sqlite');
    }
  });

  afterAll(async () => {
    if (!scratchDatabase) return;
    const admin = new DataSource({ type: 'mysql', url: process.env.DATABASE_URL });
    await admin.initialize();
    await admin.query(`DROP DATABASE \`${scratchDatabase}\``);
    await admin.destroy();
  });

  function dataSource(migrations: typeof MIGRATIONS): DataSource {
    const env = url ? { DATABASE_URL: url } : { SQLITE_PATH: sqlitePath ?? '' };
    const config = databaseConfigFrom(validateEnvironment(env));
    return new DataSource({ ...buildDataSourceOptions({ ...config, migrateOnStart: false }, ENTITIES), migrations });
  }

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
