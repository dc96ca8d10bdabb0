import migrateSharedDatabase from '../support/global-setup';

/**
 * `npm run test:cluster` proves several instances behave as one service, which
 * only full mode can show: without MariaDB and Redis it stops here with the
 * reason rather than skip (CI's test:all provides both).
 */
export default async function clusterGlobalSetup(): Promise<void> {
  const missing = ['DATABASE_URL', 'REDIS_URL'].filter((name) => !process.env[name]);
  if (missing.length > 0) {
    throw new Error(
      `npm run test:cluster needs MariaDB + Redis, but ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set. ` +
        'Run `eval "$(bash scripts/services.sh up)" && npm run migration:run` first.',
    );
  }
  await migrateSharedDatabase();
}
