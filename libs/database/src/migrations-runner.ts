import { createHash } from 'node:crypto';
import { Logger, type LoggerService } from '@nestjs/common';
import { DataSource, MigrationExecutor, type DataSourceOptions, type Migration } from 'typeorm';

/**
 * How long a starting process waits for another process's migrations. Past
 * it the process fails to start (and Kubernetes restarts it, to wait again).
 */
export const MIGRATION_LOCK_TIMEOUT_SECONDS = 120;

/** Migrations failed or could not start: reconnecting and trying again would not help. */
export class MigrationsFailedError extends Error {
  override name = 'MigrationsFailedError';
}

type MigrationLogger = Pick<LoggerService, 'log' | 'warn'>;

/** What the lock needs of a QueryRunner: its one connection. */
export interface LockSession {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

export interface RunMigrationsOptions {
  logger?: MigrationLogger;
  lockTimeoutSeconds?: number;
}

/**
 * The MySQL user-level lock guarding one database's migrations. MySQL refuses
 * lock names longer than 64 characters; a database name may be 64 on its own.
 */
export function migrationLockName(database: string): string {
  const name = `${database}.migrations`;
  return name.length <= 64 ? name : `${createHash('sha256').update(database).digest('hex').slice(0, 40)}.migrations`;
}

/**
 * Runs `work` while holding the user-level lock `lock` on `runner`'s session
 * (GET_LOCK belongs to the connection, so every step must use this runner).
 * Waits up to `timeoutSeconds` for another holder, saying so first.
 */
export async function withMigrationLock<T>(
  runner: LockSession,
  lock: string,
  timeoutSeconds: number,
  logger: MigrationLogger,
  work: () => Promise<T>,
): Promise<T> {
  if (!(await getLock(runner, lock, 0))) {
    logger.log(`Waiting for another process's migrations (database lock "${lock}", up to ${timeoutSeconds} s)`);
    if (!(await getLock(runner, lock, timeoutSeconds))) {
      throw new MigrationsFailedError(
        `Gave up after ${timeoutSeconds} s waiting for the database lock "${lock}", held by another process running ` +
          `migrations. If that process is stuck, SELECT IS_USED_LOCK('${lock}') names its connection id to KILL; ` +
          'otherwise start again once it has finished (or run `npm run migration:run` first).',
      );
    }
  }
  try {
    return await work();
  } finally {
    // The lock also ends with the session; a failed release must not hide the result of `work`.
    await runner.query('SELECT RELEASE_LOCK(?)', [lock]).catch((error: unknown) => {
      logger.warn(`Could not release the migration lock "${lock}": ${messageOf(error)}`);
    });
  }
}

async function getLock(runner: LockSession, lock: string, timeoutSeconds: number): Promise<boolean> {
  const rows = (await runner.query('SELECT GET_LOCK(?, ?) AS acquired', [lock, timeoutSeconds])) as {
    acquired: number | string | null;
  }[];
  const acquired = rows[0]?.acquired;
  // NULL: the server could not take it (out of memory, the wait was killed).
  if (acquired === null || acquired === undefined) throw new MigrationsFailedError(`GET_LOCK("${lock}") failed`);
  return Number(acquired) === 1;
}

/**
 * Applies pending migrations, each in its own transaction. On MySQL/MariaDB
 * under a database-wide lock, so that however many processes start together
 * only one migrates and the others wait, then find nothing pending (MySQL DDL
 * is not transactional: a migration run twice at once fails half-applied).
 * The embedded database belongs to a single process and runs them directly.
 * Returns the migrations this call applied.
 */
export async function runMigrationsOnce(
  dataSource: DataSource,
  { logger = new Logger('Migrations'), lockTimeoutSeconds = MIGRATION_LOCK_TIMEOUT_SECONDS }: RunMigrationsOptions = {},
): Promise<Migration[]> {
  const type = dataSource.driver.options.type;
  if (type !== 'mysql' && type !== 'mariadb') {
    return reported(await dataSource.runMigrations({ transaction: 'each' }), logger);
  }
  const runner = dataSource.createQueryRunner('master');
  try {
    const [{ database }] = (await runner.query('SELECT DATABASE() AS `database`')) as [{ database: string }];
    return await withMigrationLock(runner, migrationLockName(database), lockTimeoutSeconds, logger, async () => {
      // Migrations run on the lock's own connection: a pool of one cannot deadlock.
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'each';
      return reported(await executor.executePendingMigrations(), logger);
    });
  } finally {
    await runner.release();
  }
}

function reported(applied: Migration[], logger: MigrationLogger): Migration[] {
  const names = applied.map((migration) => migration.name).join(', ');
  const plural = applied.length === 1 ? '' : 's';
  logger.log(applied.length === 0 ? 'No pending migrations' : `Applied ${applied.length} migration${plural}: ${names}`);
  return applied;
}

/**
 * Opens a DataSource. With `migrationsRun` it then migrates through
 * {@link runMigrationsOnce} instead of TypeORM's own run inside `initialize()`,
 * which has no lock. Nothing can use the DataSource before this resolves.
 */
export async function initializeDataSource(options: DataSourceOptions): Promise<DataSource> {
  const dataSource = await new DataSource({ ...options, migrationsRun: false }).initialize();
  if (!options.migrationsRun) return dataSource;
  try {
    await runMigrationsOnce(dataSource);
  } catch (error) {
    await dataSource.destroy();
    if (error instanceof MigrationsFailedError) throw error;
    throw new MigrationsFailedError(`Migrations failed: ${messageOf(error)}`, { cause: error });
  }
  return dataSource;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
