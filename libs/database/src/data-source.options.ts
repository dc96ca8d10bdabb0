import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DataSource, DataSourceOptions, EntitySchema, MixedList } from 'typeorm';
import type { DatabaseConfig } from '@coffee/config';
import { EmbeddedDatabaseConnection } from './embedded/database-file';
import { MIGRATIONS } from './migrations';
import { SnakeNamingStrategy } from './naming.strategy';
import { TypeOrmNestLogger } from './typeorm-logger';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own entity list type
type EntityList = MixedList<Function | string | EntitySchema>;

/** TypeORM's driver for the embedded database; it runs on Node's built-in `node:sqlite`. */
export const EMBEDDED_DRIVER = 'better-sqlite3';

/** The embedded SQLite has one connection: transactions on it run one after another. */
export function isEmbedded(dataSource: DataSource): boolean {
  return dataSource.options.type === EMBEDDED_DRIVER;
}

/**
 * TypeORM's replication setup (a mysql2 pool cluster: one pool for the primary,
 * one per replica). Everything runs on the primary unless code asks for a
 * replica explicitly through `ReadReplica`: `defaultMode: 'master'`
 * keeps TypeORM from sending plain `find`s and query builders to replicas,
 * which it does by default. The cluster never takes a node offline by itself
 * (its default would drop the primary for good after five failed connects)
 * nor retries a failed connect in a loop: a failed replica connect comes back
 * at once and ReadReplica reads the primary instead.
 */
function replicationOf(
  primary: { host: string; port: number; username: string; password: string; database: string },
  replicas: { host: string; port: number }[],
) {
  return {
    master: primary,
    slaves: replicas.map(({ host, port }) => ({ ...primary, host, port })),
    defaultMode: 'master' as const,
    canRetry: false,
    removeNodeErrorCount: Number.MAX_SAFE_INTEGER,
    restoreNodeTimeout: 0,
    selector: 'RR' as const,
  };
}

/**
 * The one DataSource factory for both run modes: MySQL/MariaDB with a pool when
 * a server is configured, else SQLite inside the process (`node:sqlite`, no
 * addon to compile) in a file under `./data/` (docs/adr/0001-embedded-database-engine.md).
 */
export function buildDataSourceOptions(config: DatabaseConfig, entities: EntityList = []): DataSourceOptions {
  const common = {
    entities,
    migrations: MIGRATIONS,
    // Never TypeORM's own run inside initialize(): it takes no lock, so processes starting
    // together would each migrate. DatabaseModule migrates through runMigrationsOnce.
    migrationsRun: false,
    migrationsTransactionMode: 'each' as const,
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    logger: new TypeOrmNestLogger(config.logging),
    logging: config.logging ? ('all' as const) : ['error' as const, 'warn' as const, 'migration' as const],
    maxQueryExecutionTime: 1000,
  };
  if (config.mysql) {
    const primary = {
      host: config.mysql.host,
      port: config.mysql.port,
      username: config.mysql.username,
      password: config.mysql.password,
      database: config.mysql.database,
    };
    return {
      ...common,
      type: config.mysql.type,
      ...(config.readReplicas.length > 0 ? { replication: replicationOf(primary, config.readReplicas) } : primary),
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
      poolSize: config.poolSize,
      connectTimeout: config.connectTimeoutMs,
      extra: {
        connectionLimit: config.poolSize,
        waitForConnections: true,
        // Fail fast rather than queue forever while the database is away.
        queueLimit: config.poolSize * 50,
        enableKeepAlive: true,
        keepAliveInitialDelay: 10_000,
        // mysql2's promise API captures a stack trace before every query, to
        // put the caller's frames on a failed query's error. TypeORM wraps
        // that error in a QueryFailedError with a stack of its own (async
        // frames included), so the capture was paid on every query for nothing.
        trace: false,
      },
    };
  }
  const location = resolve(config.sqlitePath);
  mkdirSync(dirname(location), { recursive: true });
  return {
    ...common,
    type: EMBEDDED_DRIVER,
    database: location,
    // Checks the file, takes it for this process, and commits durably (write-ahead log, fsync per commit).
    driver: EmbeddedDatabaseConnection,
  };
}
