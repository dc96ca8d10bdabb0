import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { databaseConfigFrom, validateEnvironment } from '@coffee/config';
import { buildDataSourceOptions, MIGRATIONS } from '@coffee/database';
import { ENTITIES } from '../../ormconfig';
import { FULL_MODE, itFull } from '../support/env';

/**
 * Migrations are the only way the schema changes, so the schema they build must
 * be exactly what the entities describe (what `migration:generate` would find),
 * on MariaDB and on SQLite, and every migration must undo cleanly.
 */
describe('schema: migrations and entity metadata agree', () => {
  let dataSource: DataSource;
  let scratchDatabase: string | undefined;

  beforeAll(async () => {
    if (FULL_MODE) {
      // A scratch database of its own: reverting migrations must not disturb parallel suites.
      const url = new URL(process.env.DATABASE_URL ?? '');
      scratchDatabase = `coffee_schema_${randomBytes(4).toString('hex')}`;
      const admin = new DataSource({ type: 'mysql', url: url.toString() });
      await admin.initialize();
      await admin.query(`CREATE DATABASE \`${scratchDatabase}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
      await admin.destroy();
      url.pathname = `/${scratchDatabase}`;
      const config = databaseConfigFrom(validateEnvironment({ DATABASE_URL: url.toString() }));
      dataSource = new DataSource(buildDataSourceOptions({ ...config, migrateOnStart: false }, ENTITIES));
    } else {
      const sqlitePath = join(mkdtempSync(join(tmpdir(), 'coffee-schema-')), 'schema.sqlite');
      const config = databaseConfigFrom(validateEnvironment({ SQLITE_PATH: sqlitePath }));
      dataSource = new DataSource(buildDataSourceOptions({ ...config, migrateOnStart: false }, ENTITIES));
    }
    await dataSource.initialize();
  });

  afterAll(async () => {
    if (scratchDatabase) await dataSource.query(`DROP DATABASE \`${scratchDatabase}\``);
    await dataSource.destroy();
  });

  it('runs every migration in order', async () => {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    expect(applied.map((m) => m.name)).toEqual(MIGRATIONS.map((m) => m.name));
  });

  // The production schema is MariaDB's; SQLite spells some types differently (int/integer) for the same table.
  itFull('finds no drift between the MariaDB schema and the entities', async () => {
    const drift = await dataSource.driver.createSchemaBuilder().log();
    expect(drift.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('reverts every migration and applies them again', async () => {
    for (let i = 0; i < MIGRATIONS.length; i++) await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await dataSource.showMigrations()).toBe(true);
    await dataSource.runMigrations({ transaction: 'each' });
    expect(await dataSource.showMigrations()).toBe(false);
  });
});
