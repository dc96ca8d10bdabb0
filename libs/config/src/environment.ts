import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBooleanString,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  validateSync,
} from 'class-validator';

export const NODE_ENVS = ['development', 'test', 'staging', 'production'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

/**
 * Every environment but these two is treated as production: its secrets, CORS,
 * cookies and proxy trust are checked at boot. A staging deployment is reachable
 * from outside too, so it gets the same refusals.
 */
const RELAXED_ENVS: readonly string[] = ['development', 'test'];
export function isProductionLike(nodeEnv: string): boolean {
  return !RELAXED_ENVS.includes(nodeEnv);
}

/** proxy-addr's names for address ranges, accepted in TRUST_PROXY beside addresses and CIDRs. */
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function isProxyAddress(entry: string): boolean {
  if (PROXY_RANGE_NAMES.includes(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/** `false`, `true`, a hop count, or a comma list of addresses/CIDRs/range names. */
function trustProxyProblem(value: string): string | null {
  const trimmed = value.trim();
  if (['true', 'false', ''].includes(trimmed) || /^\d{1,2}$/.test(trimmed)) return null;
  const bad = trimmed
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => !isProxyAddress(entry));
  return bad.length === 0
    ? null
    : `TRUST_PROXY must be false, true, a hop count or addresses/CIDRs (not ${bad.map((b) => JSON.stringify(b)).join(', ')})`;
}

const HOST_ENTRY = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+))(?::(\d{1,5}))?$/;

export interface HostAndPort {
  host: string;
  port: number;
}

/** The `host[:port]` entries of a comma list (`[v6-address]:port` for IPv6); throws naming a bad entry. */
export function parseHostList(value: string, defaultPort: number): HostAndPort[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
    .map((entry) => {
      const match = HOST_ENTRY.exec(entry);
      const port = match?.[3] === undefined ? defaultPort : Number(match[3]);
      if (!match || port < 1 || port > 65535) throw new Error(`"${entry}" is not host[:port]`);
      return { host: match[1] ?? match[2] ?? '', port };
    });
}

function readHostsProblem(env: EnvironmentVariables): string | null {
  if (env.DB_READ_HOSTS === undefined) return null;
  if (!env.DATABASE_URL && !env.DB_HOST)
    return 'DB_READ_HOSTS needs a MySQL/MariaDB primary (DATABASE_URL or DB_HOST); the embedded database has no replicas';
  try {
    return parseHostList(env.DB_READ_HOSTS, env.DB_PORT).length > 0 ? null : 'DB_READ_HOSTS lists no host';
  } catch (error) {
    return `DB_READ_HOSTS must be a comma list of host[:port]: ${(error as Error).message}`;
  }
}

/** Variables that may also be given as `<NAME>_FILE` (a path), for Kubernetes and Docker secrets. */
export const FILE_BACKED_VARIABLES = [
  'DATABASE_URL',
  'DB_PASS',
  'REDIS_URL',
  'JWT_SECRET',
  'SYSADMIN_PASSWORD',
  'METRICS_TOKEN',
  'SENTRY_DSN',
  'OTEL_EXPORTER_OTLP_HEADERS',
] as const;

/** Secrets that must be strong outside development and test. */
const STRONG_SECRETS = ['JWT_SECRET'] as const;
const MIN_SECRET_BYTES = 32;
const MIN_PRODUCTION_ACCESS_TTL_SECONDS = 60;
/** Fragments that mark a value copied from `.env.example` or a tutorial. */
const EXAMPLE_SECRET_MARKERS = ['change-me', 'changeme', 'example', 'replace-me', 'your-secret', 'secret123'];

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;

const toNumber = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d*\.?\d+$/.test(value.trim()) ? Number(value.trim()) : value;

/** The samplers of the OpenTelemetry specification's `OTEL_TRACES_SAMPLER` (the Jaeger and X-Ray ones aside). */
export const TRACE_SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;
export type TraceSampler = (typeof TRACE_SAMPLERS)[number];

/**
 * `OTEL_EXPORTER_OTLP_HEADERS` as the specification writes it: `key=value`
 * pairs separated by commas, values percent-encoded. Null when malformed.
 */
export function parseOtlpHeaders(value: string | undefined): Record<string, string> | null {
  const headers: Record<string, string> = {};
  if (!value?.trim()) return headers;
  for (const pair of value.split(',')) {
    const at = pair.indexOf('=');
    const key = pair.slice(0, at).trim();
    if (at < 0 || !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(key)) return null;
    try {
      headers[key] = decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      return null;
    }
  }
  return headers;
}

/**
 * The raw environment as the application understands it. Every variable the
 * application reads is declared here and nowhere else; `.env.example`
 * documents each of them.
 */
export class EnvironmentVariables {
  @IsIn(NODE_ENVS)
  NODE_ENV: NodeEnv = 'development';

  @IsString()
  HOST = '0.0.0.0';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  @IsOptional()
  LOG_LEVEL?: string;

  @IsString()
  CORS_ORIGINS = '';

  @IsString()
  TRUST_PROXY = 'false';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  SHUTDOWN_GRACE_MS = 10_000;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  SHUTDOWN_DELAY_MS = 0;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  WORKER_PORT = 3001;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  WORKER_CONCURRENCY = 4;

  /** How long a worker's claim on a running job lasts without renewal; a job whose worker died runs again after it. */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(600_000)
  WORKER_LOCK_DURATION_MS = 30_000;

  /** How often a worker looks for jobs whose claim expired (stalled: their worker died) and requeues them. */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(600_000)
  WORKER_STALLED_INTERVAL_MS = 30_000;

  @IsString()
  @IsOptional()
  METRICS_TOKEN?: string;

  /** Webhooks: `true` lets endpoints resolve to private, loopback and link-local addresses (development and tests only). */
  @IsBooleanString()
  WEBHOOK_ALLOW_PRIVATE = 'false';

  /** Webhooks: how long one delivery attempt may take, connection included. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(60_000)
  WEBHOOK_TIMEOUT_MS = 5000;

  /**
   * Webhooks: the wait before each retry of a failed delivery, in milliseconds, comma-separated; one retry per
   * entry. Default: 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h, 8 h (10 attempts over about 24 h).
   */
  @Matches(/^\d{1,9}(,\d{1,9}){0,29}$/, {
    message: 'WEBHOOK_RETRY_DELAYS_MS must be 1-30 comma-separated integers (ms)',
  })
  WEBHOOK_RETRY_DELAYS_MS = '30000,120000,600000,1800000,3600000,7200000,14400000,28800000,28800000';

  /** Webhooks: an endpoint is disabled after this many deliveries in a row failed (every attempt used). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  WEBHOOK_DISABLE_AFTER_FAILURES = 10;

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

  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  @IsOptional()
  REDIS_URL?: string;

  @IsString()
  @MaxLength(64)
  REDIS_KEY_PREFIX = 'coffee';

  @IsString()
  @IsOptional()
  JWT_SECRET?: string;

  @IsBooleanString()
  @IsOptional()
  COOKIE_SECURE?: string;

  /**
   * Lifetime of the access JWT and its cookie; the SPA refreshes after it. The
   * contract's 15 minutes unless a test needs to see an expiry.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86_400)
  ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

  @IsString()
  @IsOptional()
  SYSADMIN_EMAIL?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_IP_MAX_FAILURES = 20;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_IP_WINDOW_SECONDS = 60;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  AUTH_FAILURE_IP_LIMIT = 1000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  THROTTLE_LIMIT = 1200;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  THROTTLE_TTL_SECONDS = 60;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  PUBLIC_MENU_RATE_LIMIT = 600;

  @IsString()
  @IsOptional()
  SYSADMIN_PASSWORD?: string;

  @IsString()
  @IsOptional()
  APP_VERSION?: string;

  /** Error tracking: the Sentry project's DSN. Unset, the Sentry SDK is not even loaded. */
  @Matches(/^https?:\/\/[^/@\s]+@[^/\s]+\/.+$/, {
    message: 'SENTRY_DSN must be a DSN such as https://<public key>@<host>/<project id>',
  })
  @IsOptional()
  SENTRY_DSN?: string;

  /** The environment events are filed under (default: NODE_ENV). */
  @IsString()
  @MaxLength(64)
  @IsOptional()
  SENTRY_ENVIRONMENT?: string;

  /** Tracing: the OTLP/HTTP collector's base URL (`/v1/traces` is appended). Unset, no OpenTelemetry code is loaded. */
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL' })
  @IsOptional()
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  /** The only protocol the exporter speaks; given, it must say so (a gRPC endpoint would receive nothing). */
  @IsIn(['http/json'], { message: 'OTEL_EXPORTER_OTLP_PROTOCOL must be http/json (OTLP over HTTP with JSON)' })
  @IsOptional()
  OTEL_EXPORTER_OTLP_PROTOCOL?: string;

  /** Headers sent with every export (a vendor's API key): `key=value,key2=value2`, values percent-encoded. */
  @IsString()
  @IsOptional()
  OTEL_EXPORTER_OTLP_HEADERS?: string;

  @IsIn(TRACE_SAMPLERS)
  OTEL_TRACES_SAMPLER: TraceSampler = 'parentbased_always_on';

  /** The sampled fraction of traces for the `traceidratio` samplers. */
  @Transform(toNumber)
  @IsNumber()
  @Min(0)
  @Max(1)
  OTEL_TRACES_SAMPLER_ARG = 1;
}

/** Thrown at boot when the environment is unusable; the message names every bad variable. */
export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigValidationError';
  }
}

type RawEnv = Record<string, string | undefined>;

/** Resolves `<NAME>_FILE` into `<NAME>` (the file content, trimmed); a direct value wins. */
export function resolveFileVariables(raw: RawEnv, problems: string[]): RawEnv {
  const env: RawEnv = {};
  for (const [key, value] of Object.entries(raw)) {
    // An empty variable means "not set", as most orchestrators render it.
    if (value !== undefined && value !== '') env[key] = value;
  }
  for (const name of FILE_BACKED_VARIABLES) {
    const path = env[`${name}_FILE`];
    if (!path || env[name] !== undefined) continue;
    try {
      env[name] = readFileSync(path, 'utf8').trim();
    } catch (error) {
      problems.push(`${name}_FILE: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  return env;
}

function looksLikeExample(value: string): boolean {
  const lower = value.toLowerCase();
  if (EXAMPLE_SECRET_MARKERS.some((marker) => lower.includes(marker))) return true;
  // "aaaaaaaa…" or "1234…": long but guessable.
  return new Set(value).size < 8;
}

function productionProblems(env: EnvironmentVariables): string[] {
  const problems: string[] = [];
  const where = `in ${env.NODE_ENV}`;
  for (const name of STRONG_SECRETS) {
    const value = env[name];
    if (!value) problems.push(`${name} is required ${where}`);
    else if (Buffer.byteLength(value) < MIN_SECRET_BYTES)
      problems.push(`${name} must be at least ${MIN_SECRET_BYTES} bytes ${where}`);
    else if (looksLikeExample(value)) problems.push(`${name} looks like an example value; generate a random secret`);
  }
  if (env.SYSADMIN_PASSWORD && looksLikeExample(env.SYSADMIN_PASSWORD))
    problems.push('SYSADMIN_PASSWORD looks like an example value');
  if (env.METRICS_TOKEN && looksLikeExample(env.METRICS_TOKEN))
    problems.push('METRICS_TOKEN looks like an example value');
  if (env.CORS_ORIGINS.split(',').some((origin) => origin.trim() === '*'))
    problems.push(`CORS_ORIGINS must list origins explicitly ${where}, not "*"`);
  if (env.COOKIE_SECURE === 'false') problems.push(`COOKIE_SECURE=false is not allowed ${where}`);
  // Seconds, not minutes: a few seconds would send every browser to /auth/refresh all the time.
  if (env.ACCESS_TOKEN_TTL_SECONDS < MIN_PRODUCTION_ACCESS_TTL_SECONDS)
    problems.push(
      `ACCESS_TOKEN_TTL_SECONDS must be at least ${MIN_PRODUCTION_ACCESS_TTL_SECONDS} ${where} (it counts seconds)`,
    );
  return problems;
}

/**
 * Reads and validates the environment. Throws {@link ConfigValidationError}
 * naming each offending variable, so a bad deployment fails at boot rather
 * than on the first request.
 */
export function validateEnvironment(raw: RawEnv): EnvironmentVariables {
  const problems: string[] = [];
  const resolved = resolveFileVariables(raw, problems);
  const env = plainToInstance(EnvironmentVariables, resolved, { exposeDefaultValues: true });
  for (const error of validateSync(env, { whitelist: false })) {
    const messages = Object.values(error.constraints ?? {});
    problems.push(...(messages.length > 0 ? messages : [`${error.property} is invalid`]));
  }
  if (parseOtlpHeaders(env.OTEL_EXPORTER_OTLP_HEADERS) === null)
    problems.push('OTEL_EXPORTER_OTLP_HEADERS must be key=value pairs separated by commas');
  const trustProxy = trustProxyProblem(env.TRUST_PROXY);
  if (trustProxy) problems.push(trustProxy);
  const readHosts = problems.length === 0 ? readHostsProblem(env) : null;
  if (readHosts) problems.push(readHosts);
  // `true` believes any X-Forwarded-For, so every client could pick its own IP (and per-IP limits):
  // acceptable only on a developer's machine.
  if (env.TRUST_PROXY.trim() === 'true' && env.NODE_ENV !== 'development')
    problems.push(`TRUST_PROXY=true is not allowed in ${env.NODE_ENV}; give the proxies' hop count or addresses/CIDRs`);
  if (problems.length === 0 && isProductionLike(env.NODE_ENV)) problems.push(...productionProblems(env));
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return env;
}
