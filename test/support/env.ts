import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** True when the suite runs against MariaDB + Redis (`eval "$(bash scripts/services.sh up)"`). */
export const FULL_MODE = Boolean(process.env.DATABASE_URL);

/**
 * Suites and tests that need MariaDB + Redis (outages, EXPLAIN, BullMQ, shared
 * cache). They run in the full-mode pass of `npm run test:all` and are reported
 * as skipped in the embedded pass; test-all fails if full mode cannot start.
 */
export const describeFull = FULL_MODE ? describe : describe.skip;
export const itFull = FULL_MODE ? it : it.skip;

/**
 * Full mode with a real MariaDB replica (`SERVICES_REPLICA=1 bash scripts/services.sh up`
 * exports DB_READ_HOSTS and MARIADB_REPLICA_SOCKET). Suites about read replicas are
 * skipped without one; `npm run test:all` runs them in a step of their own.
 */
export const REPLICA_MODE = FULL_MODE && Boolean(process.env.DB_READ_HOSTS && process.env.MARIADB_REPLICA_SOCKET);
export const describeReplica = REPLICA_MODE ? describe : describe.skip;

/** The platform admin every test app creates at start (once per database). */
export const SYSADMIN = { email: 'sysadmin@coffee-admin.test', password: 'sysadmin-e2e-Password-1' };

export const TEST_JWT_SECRET = 'e2e-only-4f3c2b1a0f9e8d7c6b5a49382716f5e4d3c2b1a0';

/** Variables every test app gets; the database and Redis come from the outer environment. */
export function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    JWT_SECRET: TEST_JWT_SECRET,
    CORS_ORIGINS: 'https://admin.example.test',
    // Suites run in parallel from one IP and share Redis; the throttle test lowers this on its own app.
    LOGIN_IP_MAX_FAILURES: '100000',
    AUTH_FAILURE_IP_LIMIT: '100000',
    SYSADMIN_EMAIL: SYSADMIN.email,
    SYSADMIN_PASSWORD: SYSADMIN.password,
    // Webhooks: receivers run on 127.0.0.1; short retries. In full mode every worker of every suite relays
    // every restaurant's events, so all test processes must deliver alike.
    WEBHOOK_ALLOW_PRIVATE: 'true',
    WEBHOOK_RETRY_DELAYS_MS: '200,1000',
    WEBHOOK_DISABLE_AFTER_FAILURES: '2',
  };
  if (FULL_MODE) {
    // Migrations ran once in the global setup; parallel suites must not race on them.
    env.DB_MIGRATE_ON_START = 'false';
  } else {
    env.SQLITE_PATH = join(mkdtempSync(join(tmpdir(), 'coffee-e2e-')), 'db.sqlite');
  }
  return env;
}

/** Sets variables for the duration of a suite; returns a function that restores them. */
export function applyEnv(vars: Record<string, string | undefined>): () => void {
  const previous = new Map<string, string | undefined>();
  for (const [key, value] of Object.entries(vars)) {
    previous.set(key, process.env[key]);
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  return () => {
    for (const [key, value] of previous) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}

/**
 * Full mode on a Redis Sentinel group (`SERVICES_REDIS_SENTINEL=1 bash scripts/services.sh up`
 * exports REDIS_SENTINELS and REDIS_SENTINEL_NAME) or a Redis cluster (`SERVICES_REDIS_CLUSTER=1`
 * exports REDIS_CLUSTER_NODES). The suites about them are skipped without one, saying so;
 * `npm run test:all` runs each in a step of its own.
 */
export const SENTINEL_MODE = FULL_MODE && Boolean(process.env.REDIS_SENTINELS && process.env.REDIS_SENTINEL_NAME);
export const CLUSTER_MODE = FULL_MODE && Boolean(process.env.REDIS_CLUSTER_NODES);

export function describeWhen(enabled: boolean, why: string): typeof describe {
  if (enabled) return describe;
  // Loud: a skipped proof must not pass for a run one.
  process.stderr.write(`\n*** SKIPPED: ${why} ***\n\n`);
  return describe.skip;
}
