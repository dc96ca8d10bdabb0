import { isIP } from 'node:net';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { packageVersion, toInt } from './parsing';

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

/** The process itself: environment, HTTP listener, shutdown, the worker's knobs. */
export class AppVariables {
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

  @Transform(toInt)
  @IsInt()
  @Min(1)
  PUBLIC_MENU_RATE_LIMIT = 600;

  @IsString()
  @IsOptional()
  APP_VERSION?: string;
}

/** What the decorators cannot say about the app variables. */
export function appProblems(env: AppVariables): string[] {
  const problems: string[] = [];
  const trustProxy = trustProxyProblem(env.TRUST_PROXY);
  if (trustProxy) problems.push(trustProxy);
  // `true` believes any X-Forwarded-For, so every client could pick its own IP (and per-IP limits):
  // acceptable only on a developer's machine.
  if (env.TRUST_PROXY.trim() === 'true' && env.NODE_ENV !== 'development')
    problems.push(`TRUST_PROXY=true is not allowed in ${env.NODE_ENV}; give the proxies' hop count or addresses/CIDRs`);
  return problems;
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

export function appConfigFrom(env: AppVariables) {
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
