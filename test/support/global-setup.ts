import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';

/**
 * Full mode: bring the shared MariaDB schema up to date once, before suites
 * run in parallel, with the built TypeORM CLI DataSource (`npm run test:e2e`
 * builds first). Embedded mode: every suite migrates its own SQLite file.
 */
export default async function globalSetup(): Promise<void> {
  if (!process.env.DATABASE_URL) return;
  Logger.overrideLogger(['error', 'warn']);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the built file, loaded outside jest's module map
  const { default: dataSource } = require(join(__dirname, '..', '..', 'dist', 'ormconfig.js')) as {
    default: DataSource;
  };
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}
