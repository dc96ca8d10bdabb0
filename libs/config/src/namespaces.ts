import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { registerAs, type ConfigType } from '@nestjs/config';
import {
  isProductionLike,
  parseHostList,
  validateEnvironment,
  type EnvironmentVariables,
  type HostAndPort,
  parseOtlpHeaders,
  type TraceSampler,
} from './environment';

/**
 * Loads `./.env` into the environment if the file exists (variables already
 * set win). Entry points call it once, first.
 */
export function loadDotEnvFile(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

/** The one place that reads `process.env`. */
export function currentEnvironment(): EnvironmentVariables {
  return validateEnvironment(process.env);
}

/**
 * NODE_ENV alone, unvalidated (unset or empty: `development`), for commands
 * that refuse some environments before anything else is checked.
 */
export function currentNodeEnv(): string {
  return process.env.NODE_ENV || 'development';
}

/**
 * `true`/`false`, a comma list of trusted proxy addresses/CIDRs (`loopback`,
 * `10.0.0.0/8`, …), or a hop count: then the `n` addresses nearest the server
 * in X-Forwarded-For (the socket's peer first) are taken as proxies, which is
 * safe only when clients cannot reach the API without passing them (Fastify
 * itself ignores a bare number). Only then does the client IP come from
 * X-Forwarded-For.
 */
function parseTrustProxy(value: string): boolean | string[] | ((address: string, hop: number) => boolean) {
  const trimmed = value.trim();
  if (trimmed === 'true') return true;
  if (trimmed === 'false' || trimmed === '') return false;
  if (/^\d+$/.test(trimmed)) {
    const hops = Number(trimmed);
    return (_address, hop) => hop < hops;
  }
  return trimmed.split(',').map((entry) => entry.trim());
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export function appConfigFrom(env: EnvironmentVariables) {
  return {
    nodeEnv: env.NODE_ENV,
    /** Every NODE_ENV but development and test: refusals at boot, HSTS, Secure cookies, a closed /metrics. */
    isProduction: isProductionLike(env.NODE_ENV),
    host: env.HOST,
    port: env.PORT,
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'warn' : 'info'),
    prettyLogs: env.NODE_ENV === 'development',
    corsOrigins: env.CORS_ORIGINS.split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin.length > 0),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    shutdownDelayMs: env.SHUTDOWN_DELAY_MS,
    workerPort: env.WORKER_PORT,
    workerConcurrency: env.WORKER_CONCURRENCY,
    workerLockDurationMs: env.WORKER_LOCK_DURATION_MS,
    workerStalledIntervalMs: env.WORKER_STALLED_INTERVAL_MS,
    metricsToken: env.METRICS_TOKEN ?? null,
    /** Public-menu requests per client IP per minute. */
    publicMenuRateLimit: env.PUBLIC_MENU_RATE_LIMIT,
    version: env.APP_VERSION ?? packageVersion(),
    bodyLimitBytes: 1024 * 1024,
  };
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

function mysqlConnectionFrom(env: EnvironmentVariables): MysqlConnection | null {
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

export function databaseConfigFrom(env: EnvironmentVariables) {
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

export function redisConfigFrom(env: EnvironmentVariables) {
  return { url: env.REDIS_URL ?? null, keyPrefix: env.REDIS_KEY_PREFIX };
}

export interface ErrorTrackingConfig {
  dsn: string;
  environment: string;
  release: string;
}

export interface TracingConfig {
  /** Where spans go: `<OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces`. */
  tracesUrl: string;
  headers: Record<string, string>;
  sampler: TraceSampler;
  /** The fraction of traces kept by the `traceidratio` samplers. */
  ratio: number;
}

/**
 * Error tracking (SENTRY_DSN) and tracing (OTEL_EXPORTER_OTLP_ENDPOINT); each
 * null when its variable is unset, and then nothing of it is loaded.
 */
export function observabilityConfigFrom(env: EnvironmentVariables): {
  errorTracking: ErrorTrackingConfig | null;
  tracing: TracingConfig | null;
} {
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  return {
    errorTracking: env.SENTRY_DSN
      ? {
          dsn: env.SENTRY_DSN,
          environment: env.SENTRY_ENVIRONMENT ?? env.NODE_ENV,
          release: env.APP_VERSION ?? packageVersion(),
        }
      : null,
    tracing: endpoint
      ? {
          tracesUrl: `${endpoint.replace(/\/+$/, '')}/v1/traces`,
          headers: parseOtlpHeaders(env.OTEL_EXPORTER_OTLP_HEADERS) ?? {},
          sampler: env.OTEL_TRACES_SAMPLER,
          ratio: env.OTEL_TRACES_SAMPLER_ARG,
        }
      : null,
  };
}

let generatedDevSecret: string | undefined;

export function authConfigFrom(env: EnvironmentVariables) {
  // Outside production a missing secret gets a random one per process: sessions
  // then end with the process, which is what a first look needs.
  generatedDevSecret ??= randomBytes(32).toString('hex');
  return {
    jwtSecret: env.JWT_SECRET ?? generatedDevSecret,
    jwtSecretGenerated: env.JWT_SECRET === undefined,
    jwtIssuer: 'coffee-admin',
    jwtAudience: 'coffee-admin-api',
    accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: 7 * 24 * 60 * 60,
    cookieSecure: env.COOKIE_SECURE === undefined ? isProductionLike(env.NODE_ENV) : env.COOKIE_SECURE === 'true',
    sysadminEmail: env.SYSADMIN_EMAIL ?? null,
    loginIpMaxFailures: env.LOGIN_IP_MAX_FAILURES,
    loginIpWindowMs: env.LOGIN_IP_WINDOW_SECONDS * 1000,
    authFailureIpLimit: env.AUTH_FAILURE_IP_LIMIT,
    throttleLimit: env.THROTTLE_LIMIT,
    throttleTtlMs: env.THROTTLE_TTL_SECONDS * 1000,
    sysadminPassword: env.SYSADMIN_PASSWORD ?? null,
  };
}

/** Outgoing webhooks: address policy, timeout, retry schedule, auto-disable threshold. */
export function webhooksConfigFrom(env: EnvironmentVariables) {
  return {
    allowPrivateAddresses: env.WEBHOOK_ALLOW_PRIVATE === 'true',
    timeoutMs: env.WEBHOOK_TIMEOUT_MS,
    /** Delay before retry n (n = 1…): one entry per retry, so attempts = retryDelaysMs.length + 1. */
    retryDelaysMs: env.WEBHOOK_RETRY_DELAYS_MS.split(',').map(Number),
    disableAfterFailures: env.WEBHOOK_DISABLE_AFTER_FAILURES,
  };
}

export const appConfig = registerAs('app', () => appConfigFrom(currentEnvironment()));
export const databaseConfig = registerAs('database', () => databaseConfigFrom(currentEnvironment()));
export const redisConfig = registerAs('redis', () => redisConfigFrom(currentEnvironment()));
export const authConfig = registerAs('auth', () => authConfigFrom(currentEnvironment()));
export const webhooksConfig = registerAs('webhooks', () => webhooksConfigFrom(currentEnvironment()));

export type AppConfig = ConfigType<typeof appConfig>;
export type DatabaseConfig = ConfigType<typeof databaseConfig>;
export type RedisConfig = ConfigType<typeof redisConfig>;
export type AuthConfig = ConfigType<typeof authConfig>;
export type WebhooksConfig = ConfigType<typeof webhooksConfig>;
