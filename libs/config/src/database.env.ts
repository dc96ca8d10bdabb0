import { dirname, join } from 'node:path';
import { Transform } from 'class-transformer';
import { IsBooleanString, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { hostListProblem, parseHostList, toInt, type HostAndPort } from './parsing';

/** MySQL/MariaDB (full mode) or the embedded SQLite file, its backups, pool and circuit breaker. */
export class DatabaseVariables {
  @Matches(/^(mysql|mariadb):\/\/.+/, { message: 'DATABASE_URL must be a mysql:// or mariadb:// URL' })
  @IsOptional()
  DATABASE_URL?: string;

  @IsString()
  @IsOptional()
  DB_HOST?: string;

  @IsIn(['mysql', 'mariadb'])
  @IsOptional()
  DB_TYPE?: 'mysql' | 'mariadb';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  DB_PORT = 3306;

  @IsString()
  DB_NAME = 'coffee';

  @IsString()
  DB_USER = 'coffee';

  @IsString()
  DB_PASS = '';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(500)
  DB_POOL_SIZE = 10;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  DB_CONNECT_TIMEOUT_MS = 2000;

  /**
   * Read replicas of the MySQL/MariaDB primary: a comma list of `host[:port]`
   * (the primary's port when omitted), reached with the primary's user,
   * password and database. Unset: every read goes to the primary.
   */
  @IsString()
  @IsOptional()
  DB_READ_HOSTS?: string;

  /** How long a replica read waits for the replica to catch up with the primary before reading the primary instead. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10_000)
  DB_READ_WAIT_MS = 100;

  /** How long a query may wait for a pool connection before it fails (and counts against the circuit breaker). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  DB_ACQUIRE_TIMEOUT_MS = 5000;

  /** MySQL/MariaDB: `false` turns the circuit breaker off, so during an outage every query still tries the database. */
  @IsBooleanString()
  DB_BREAKER_ENABLED = 'true';

  /** The breaker opens when more than this share (%) of connection attempts in the window failed… */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  DB_BREAKER_ERROR_PERCENT = 50;

  /** …and at least this many were made in it. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  DB_BREAKER_MIN_REQUESTS = 5;

  /** The rolling window those counts cover. */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(600_000)
  DB_BREAKER_WINDOW_MS = 10_000;

  /** How long it stays open before one probe may try the database again. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600_000)
  DB_BREAKER_RESET_MS = 5000;

  @IsBooleanString()
  @IsOptional()
  DB_MIGRATE_ON_START?: string;

  @IsBooleanString()
  DB_LOGGING = 'false';

  @IsString()
  SQLITE_PATH = 'data/coffee.sqlite';

  /** Embedded mode: where the automatic backups go (default: `backups/` beside SQLITE_PATH). */
  @IsString()
  @IsOptional()
  SQLITE_BACKUP_DIR?: string;

  /** Embedded mode: minutes between automatic backups (one is also taken at start); 0 turns them off. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(525_600)
  SQLITE_BACKUP_INTERVAL_MINUTES = 1440;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  SQLITE_BACKUP_KEEP = 7;
}

/** What the decorators cannot say; called once the variables are individually valid. */
export function databaseProblems(env: DatabaseVariables): string[] {
  if (env.DB_READ_HOSTS === undefined) return [];
  if (!env.DATABASE_URL && !env.DB_HOST)
    return [
      'DB_READ_HOSTS needs a MySQL/MariaDB primary (DATABASE_URL or DB_HOST); the embedded database has no replicas',
    ];
  const problem = hostListProblem('DB_READ_HOSTS', env.DB_READ_HOSTS, env.DB_PORT);
  return problem ? [problem] : [];
}

export interface MysqlConnection {
  /** `mariadb` or `mysql`: TypeORM reads the schema of each differently (defaults, generated columns). */
  type: 'mysql' | 'mariadb';
  host: string;
  port: number;
  database: string;
  username: string;
  password: string;
}

function mysqlConnectionFrom(env: DatabaseVariables): MysqlConnection | null {
  if (env.DATABASE_URL) {
    const url = new URL(env.DATABASE_URL);
    return {
      type: env.DB_TYPE ?? (url.protocol === 'mariadb:' ? 'mariadb' : 'mysql'),
      host: url.hostname,
      port: url.port ? Number(url.port) : 3306,
      database: decodeURIComponent(url.pathname.replace(/^\//, '')) || env.DB_NAME,
      username: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
    };
  }
  if (env.DB_HOST) {
    return {
      type: env.DB_TYPE ?? 'mysql',
      host: env.DB_HOST,
      port: env.DB_PORT,
      database: env.DB_NAME,
      username: env.DB_USER,
      password: env.DB_PASS,
    };
  }
  return null;
}

export function databaseConfigFrom(env: DatabaseVariables) {
  const mysql = mysqlConnectionFrom(env);
  return {
    /** `mysql` (MySQL 8 / MariaDB) when a server is configured, else the embedded SQLite. */
    mode: mysql ? ('mysql' as const) : ('embedded' as const),
    mysql,
    sqlitePath: env.SQLITE_PATH,
    backups: {
      directory: env.SQLITE_BACKUP_DIR ?? join(dirname(env.SQLITE_PATH), 'backups'),
      intervalMinutes: env.SQLITE_BACKUP_INTERVAL_MINUTES,
      keep: env.SQLITE_BACKUP_KEEP,
    },
    poolSize: env.DB_POOL_SIZE,
    connectTimeoutMs: env.DB_CONNECT_TIMEOUT_MS,
    /** Read replicas of the primary (same credentials and database); empty: every read on the primary. */
    readReplicas: mysql && env.DB_READ_HOSTS ? parseHostList(env.DB_READ_HOSTS, mysql.port) : ([] as HostAndPort[]),
    /** How long a replica read waits for the replica to reach the primary's position. */
    replicaWaitMs: env.DB_READ_WAIT_MS,
    acquireTimeoutMs: env.DB_ACQUIRE_TIMEOUT_MS,
    /** MySQL/MariaDB only: the circuit breaker in front of the pool (DatabaseCircuitBreaker). */
    breaker: {
      enabled: ['true', '1'].includes(env.DB_BREAKER_ENABLED),
      errorThresholdPercent: env.DB_BREAKER_ERROR_PERCENT,
      minimumRequests: env.DB_BREAKER_MIN_REQUESTS,
      windowMs: env.DB_BREAKER_WINDOW_MS,
      resetTimeoutMs: env.DB_BREAKER_RESET_MS,
    },
    // The embedded database has nobody else to migrate it.
    migrateOnStart: mysql ? env.DB_MIGRATE_ON_START === 'true' : env.DB_MIGRATE_ON_START !== 'false',
    logging: env.DB_LOGGING === 'true',
  };
}
