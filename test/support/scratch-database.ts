import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { databaseConfigFrom, validateEnvironment } from '@coffee/config';
import { buildDataSourceOptions, type MIGRATIONS } from '@coffee/database';
import { ENTITIES } from '../../ormconfig';
import { FULL_MODE } from './env';

export interface ScratchDatabase {
  /** A data source on the scratch database that knows only `migrations` (not initialized). */
  dataSource(migrations: typeof MIGRATIONS): DataSource;
}

/**
 * An empty database of the describe block's own, for migration tests: a new
 * MariaDB schema next to the suite's (dropped afterwards) in full mode, a new
 * SQLite file otherwise. Call it inside `describe`.
 */
export function useScratchDatabase(label: string): ScratchDatabase {
  let scratchDatabase: string | undefined;
  let url: string | undefined;
  let sqlitePath: string | undefined;

  beforeAll(async () => {
    if (FULL_MODE) {
      const admin = new DataSource({ type: 'mysql', url: process.env.DATABASE_URL });
      await admin.initialize();
      scratchDatabase = `coffee_${label}_${randomBytes(4).toString('hex')}`;
      await admin.query(`CREATE DATABASE \`${scratchDatabase}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
      await admin.destroy();
      const scratch = new URL(process.env.DATABASE_URL ?? '');
      scratch.pathname = `/${scratchDatabase}`;
      url = scratch.toString();
    } else {
      sqlitePath = join(mkdtempSync(join(tmpdir(), `coffee-${label}-`)), `${label}.sqlite`);
    }
  });

  afterAll(async () => {
    if (!scratchDatabase) return;
    const admin = new DataSource({ type: 'mysql', url: process.env.DATABASE_URL });
    await admin.initialize();
    await admin.query(`DROP DATABASE \`${scratchDatabase}\``);
    await admin.destroy();
  });

  return {
    dataSource(migrations) {
      const env = url ? { DATABASE_URL: url } : { SQLITE_PATH: sqlitePath ?? '' };
      const config = databaseConfigFrom(validateEnvironment(env));
      return new DataSource({ ...buildDataSourceOptions({ ...config, migrateOnStart: false }, ENTITIES), migrations });
    },
  };
}
