import { readFileSync } from 'node:fs';
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { getMetadataStorage, validateSync } from 'class-validator';
import { appProblems, AppVariables, isProductionLike } from './app.env';
import { AuthVariables } from './auth.env';
import { databaseProblems, DatabaseVariables } from './database.env';
import { observabilityProblems, ObservabilityVariables } from './observability.env';
import { redisProblems, RedisVariables } from './redis.env';
import { WebhookVariables } from './webhooks.env';

export { isProductionLike, NODE_ENVS, type NodeEnv } from './app.env';
export { parseOtlpHeaders, TRACE_SAMPLERS, type TraceSampler } from './observability.env';
export { parseHostList, type HostAndPort } from './parsing';

/**
 * The raw environment as the application understands it: one class of
 * variables per namespace (app.env.ts, database.env.ts, redis.env.ts,
 * auth.env.ts, observability.env.ts, webhooks.env.ts). Every variable the application reads is
 * declared there and nowhere else; `.env.example` documents each of them.
 */
export type EnvironmentVariables = AppVariables &
  DatabaseVariables &
  RedisVariables &
  AuthVariables &
  ObservabilityVariables &
  WebhookVariables;

const NAMESPACES: readonly ClassConstructor<object>[] = [
  AppVariables,
  DatabaseVariables,
  RedisVariables,
  AuthVariables,
  ObservabilityVariables,
  WebhookVariables,
];

/** The variables a namespace class declares (every one carries a validation decorator). */
function declaredVariables(namespace: ClassConstructor<object>): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(namespace, namespace.name, true, false);
  return [...new Set(metadata.map((entry) => entry.propertyName))];
}

/** Every variable the application reads, as the namespace classes declare them. */
export function knownVariables(): string[] {
  return NAMESPACES.flatMap(declaredVariables);
}

/** Variables that may also be given as `<NAME>_FILE` (a path), for Kubernetes and Docker secrets. */
export const FILE_BACKED_VARIABLES = [
  'DATABASE_URL',
  'DB_PASS',
  'REDIS_URL',
  'REDIS_SENTINEL_PASSWORD',
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
  // It would let any owner make this server call its own network (cloud metadata, the database, Redis).
  if (env.WEBHOOK_ALLOW_PRIVATE === 'true') problems.push(`WEBHOOK_ALLOW_PRIVATE=true is not allowed ${where}`);
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
  const env: Record<string, unknown> = {};
  for (const namespace of NAMESPACES) {
    const part = plainToInstance(namespace, resolved, { exposeDefaultValues: true });
    for (const error of validateSync(part, { whitelist: false })) {
      const messages = Object.values(error.constraints ?? {});
      problems.push(...(messages.length > 0 ? messages : [`${error.property} is invalid`]));
    }
    // Only the namespace's own variables: the instance also holds every other raw value, untransformed.
    for (const name of declaredVariables(namespace)) env[name] = (part as Record<string, unknown>)[name];
  }
  const variables = env as unknown as EnvironmentVariables;
  problems.push(...observabilityProblems(variables));
  if (problems.length === 0) problems.push(...databaseProblems(variables), ...redisProblems(variables));
  problems.push(...appProblems(variables));
  if (problems.length === 0 && isProductionLike(variables.NODE_ENV)) problems.push(...productionProblems(variables));
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return variables;
}
