import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigValidationError, validateEnvironment } from './environment';
import {
  appConfigFrom,
  authConfigFrom,
  databaseConfigFrom,
  observabilityConfigFrom,
  redisConfigFrom,
} from './namespaces';

const STRONG = 'q8Zr4v1XkP0tLm7sWc2bNe9yHd3uGa6j';
const PRODUCTION = { NODE_ENV: 'production', JWT_SECRET: STRONG, CORS_ORIGINS: 'https://admin.example.com' };

function problemsOf(raw: Record<string, string | undefined>): string[] {
  try {
    validateEnvironment(raw);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  return [];
}

describe('validateEnvironment', () => {
  it('gives the embedded defaults when nothing is set', () => {
    const env = validateEnvironment({});
    expect(env).toMatchObject({
      NODE_ENV: 'development',
      HOST: '0.0.0.0',
      PORT: 3000,
      SQLITE_PATH: 'data/coffee.sqlite',
    });
    expect(databaseConfigFrom(env)).toMatchObject({ mode: 'embedded', mysql: null, migrateOnStart: true });
    expect(redisConfigFrom(env).url).toBeNull();
  });

  it('treats empty variables as unset', () => {
    expect(validateEnvironment({ PORT: '', DATABASE_URL: '' }).PORT).toBe(3000);
  });

  it('names every invalid variable', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      NODE_ENV: 'prod',
      DATABASE_URL: 'postgres://x',
      REDIS_URL: 'http://x',
    });
    expect(problems.join('\n')).toMatch(/PORT/);
    expect(problems.join('\n')).toMatch(/NODE_ENV/);
    expect(problems.join('\n')).toMatch(/DATABASE_URL/);
    expect(problems.join('\n')).toMatch(/REDIS_URL/);
    expect(() => validateEnvironment({ PORT: 'x' })).toThrow(/Invalid configuration:\n {2}- /);
  });

  it('reads *_FILE secrets, trimmed; a direct value wins; an unreadable file is named', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    writeFileSync(join(dir, 'jwt'), `${STRONG}\n`);
    expect(validateEnvironment({ JWT_SECRET_FILE: join(dir, 'jwt') }).JWT_SECRET).toBe(STRONG);
    expect(validateEnvironment({ JWT_SECRET: 'direct', JWT_SECRET_FILE: join(dir, 'jwt') }).JWT_SECRET).toBe('direct');
    expect(problemsOf({ DB_PASS_FILE: join(dir, 'missing') })).toEqual([expect.stringContaining('DB_PASS_FILE')]);
  });

  describe('production', () => {
    it('accepts a strong configuration', () => {
      expect(problemsOf(PRODUCTION)).toEqual([]);
    });

    it.each([
      [{ JWT_SECRET: undefined }, 'JWT_SECRET is required in production'],
      [{ JWT_SECRET: 'short-secret' }, 'JWT_SECRET must be at least 32 bytes in production'],
      [
        { JWT_SECRET: 'change-me-to-a-long-random-secret-of-at-least-32-bytes' },
        'JWT_SECRET looks like an example value; generate a random secret',
      ],
      [
        { JWT_SECRET: '12121212121212121212121212121212' },
        'JWT_SECRET looks like an example value; generate a random secret',
      ],
      [{ SYSADMIN_PASSWORD: 'change-me-please' }, 'SYSADMIN_PASSWORD looks like an example value'],
      [
        { CORS_ORIGINS: 'https://a.example.com, *' },
        'CORS_ORIGINS must list origins explicitly in production, not "*"',
      ],
      [{ COOKIE_SECURE: 'false' }, 'COOKIE_SECURE=false is not allowed in production'],
      [{ WEBHOOK_ALLOW_PRIVATE: 'true' }, 'WEBHOOK_ALLOW_PRIVATE=true is not allowed in production'],
    ])('refuses %p', (override, message) => {
      expect(problemsOf({ ...PRODUCTION, ...override })).toContain(message);
    });

    it('applies them to every NODE_ENV but development and test', () => {
      expect(problemsOf({ ...PRODUCTION, NODE_ENV: 'staging', JWT_SECRET: '12345' })).toEqual([
        'JWT_SECRET must be at least 32 bytes in staging',
      ]);
      expect(problemsOf({ ...PRODUCTION, NODE_ENV: 'staging', COOKIE_SECURE: 'false' })).toEqual([
        'COOKIE_SECURE=false is not allowed in staging',
      ]);
    });

    it.each(['development', 'test'])('does not apply production rules in %s', (nodeEnv) => {
      expect(
        problemsOf({
          NODE_ENV: nodeEnv,
          JWT_SECRET: 'short',
          CORS_ORIGINS: '*',
          COOKIE_SECURE: 'false',
          WEBHOOK_ALLOW_PRIVATE: 'true',
        }),
      ).toEqual([]);
    });

    it('allows TRUST_PROXY=true only in development', () => {
      expect(problemsOf({ NODE_ENV: 'development', TRUST_PROXY: 'true' })).toEqual([]);
      expect(problemsOf({ NODE_ENV: 'test', TRUST_PROXY: 'true' })).toEqual([
        "TRUST_PROXY=true is not allowed in test; give the proxies' hop count or addresses/CIDRs",
      ]);
      expect(problemsOf({ NODE_ENV: 'test', TRUST_PROXY: '1' })).toEqual([]);
    });

    it('refuses TRUST_PROXY=true, which lets every client choose its IP', () => {
      expect(problemsOf({ ...PRODUCTION, TRUST_PROXY: 'true' })).toEqual([
        "TRUST_PROXY=true is not allowed in production; give the proxies' hop count or addresses/CIDRs",
      ]);
      expect(problemsOf({ ...PRODUCTION, TRUST_PROXY: '1' })).toEqual([]);
      expect(problemsOf({ ...PRODUCTION, TRUST_PROXY: '10.0.0.0/8,loopback' })).toEqual([]);
    });
  });

  it.each(['yes', '10.0.0.0/33', '10.0.0.300', 'proxy.internal', '10.0.0.1,', '::1/129'])(
    'refuses TRUST_PROXY=%p anywhere',
    (value) => {
      expect(problemsOf({ TRUST_PROXY: value })).toEqual([expect.stringContaining('TRUST_PROXY must be false')]);
    },
  );
});

describe('configuration namespaces', () => {
  it('parses DATABASE_URL, choosing the dialect from the scheme unless DB_TYPE says otherwise', () => {
    const db = databaseConfigFrom(
      validateEnvironment({ DATABASE_URL: 'mariadb://u%40x:p%3Ass@db.internal:3307/shop' }),
    );
    expect(db).toMatchObject({ mode: 'mysql', migrateOnStart: false });
    expect(db.mysql).toEqual({
      type: 'mariadb',
      host: 'db.internal',
      port: 3307,
      database: 'shop',
      username: 'u@x',
      password: 'p:ss',
    });
    expect(databaseConfigFrom(validateEnvironment({ DATABASE_URL: 'mysql://u:p@h/d' })).mysql).toMatchObject({
      type: 'mysql',
      port: 3306,
    });
    expect(
      databaseConfigFrom(
        validateEnvironment({ DATABASE_URL: 'mysql://u:p@h/d', DB_TYPE: 'mariadb', DB_MIGRATE_ON_START: 'true' }),
      ),
    ).toMatchObject({ mysql: { type: 'mariadb' }, migrateOnStart: true });
  });

  it('builds the connection from DB_* variables', () => {
    const db = databaseConfigFrom(
      validateEnvironment({ DB_HOST: '10.0.0.5', DB_PORT: '3310', DB_NAME: 'c', DB_USER: 'u', DB_PASS: 'p' }),
    );
    expect(db.mysql).toEqual({
      type: 'mysql',
      host: '10.0.0.5',
      port: 3310,
      database: 'c',
      username: 'u',
      password: 'p',
    });
  });

  it('reads DB_READ_HOSTS as replicas of the primary, with its port unless one is given', () => {
    const db = databaseConfigFrom(
      validateEnvironment({
        DATABASE_URL: 'mariadb://u:p@db.internal:3307/shop',
        DB_READ_HOSTS: ' replica-1.internal , 10.0.0.7:3310,[fd00::7]:3311,',
        DB_READ_WAIT_MS: '250',
      }),
    );
    expect(db.readReplicas).toEqual([
      { host: 'replica-1.internal', port: 3307 },
      { host: '10.0.0.7', port: 3310 },
      { host: 'fd00::7', port: 3311 },
    ]);
    expect(db.replicaWaitMs).toBe(250);
    expect(databaseConfigFrom(validateEnvironment({ DB_HOST: 'db' })).readReplicas).toEqual([]);
  });

  it('refuses DB_READ_HOSTS without a primary server, or with an entry that is not host[:port]', () => {
    expect(problemsOf({ DB_READ_HOSTS: 'replica' })).toEqual([
      expect.stringContaining('DB_READ_HOSTS needs a MySQL/MariaDB primary'),
    ]);
    expect(problemsOf({ DB_HOST: 'db', DB_READ_HOSTS: 'replica:99999' })).toEqual([
      expect.stringContaining('"replica:99999" is not host[:port]'),
    ]);
    expect(problemsOf({ DB_HOST: 'db', DB_READ_HOSTS: 'mysql://u:p@replica/db' })).toEqual([
      expect.stringContaining('DB_READ_HOSTS must be a comma list of host[:port]'),
    ]);
    expect(problemsOf({ DB_HOST: 'db', DB_READ_HOSTS: ' , ' })).toEqual(['DB_READ_HOSTS lists no host']);
    expect(problemsOf({ DB_HOST: 'db', DB_READ_WAIT_MS: '20000' })).toEqual([
      expect.stringContaining('DB_READ_WAIT_MS'),
    ]);
  });

  it('lets an embedded deployment opt out of migrating at start', () => {
    expect(databaseConfigFrom(validateEnvironment({ DB_MIGRATE_ON_START: 'false' })).migrateOnStart).toBe(false);
  });

  it('configures the database circuit breaker, on by default', () => {
    expect(databaseConfigFrom(validateEnvironment({ DATABASE_URL: 'mysql://u:p@h/d' }))).toMatchObject({
      acquireTimeoutMs: 5000,
      breaker: { enabled: true, errorThresholdPercent: 50, minimumRequests: 5, windowMs: 10_000, resetTimeoutMs: 5000 },
    });
    const tuned = databaseConfigFrom(
      validateEnvironment({ DB_BREAKER_ENABLED: 'false', DB_BREAKER_RESET_MS: '2000', DB_ACQUIRE_TIMEOUT_MS: '800' }),
    );
    expect(tuned).toMatchObject({ acquireTimeoutMs: 800, breaker: { enabled: false, resetTimeoutMs: 2000 } });
    expect(problemsOf({ DB_BREAKER_ERROR_PERCENT: '0' })).toEqual([
      expect.stringContaining('DB_BREAKER_ERROR_PERCENT'),
    ]);
    expect(problemsOf({ DB_BREAKER_ENABLED: 'maybe' })).toEqual([expect.stringContaining('DB_BREAKER_ENABLED')]);
  });

  it('parses CORS origins and TRUST_PROXY', () => {
    const app = appConfigFrom(
      validateEnvironment({ CORS_ORIGINS: ' https://a.test ,https://b.test,', TRUST_PROXY: '10.0.0.0/8, loopback' }),
    );
    expect(app.corsOrigins).toEqual(['https://a.test', 'https://b.test']);
    expect(app.trustProxy).toEqual(['10.0.0.0/8', 'loopback']);
    expect(appConfigFrom(validateEnvironment({ TRUST_PROXY: 'true' })).trustProxy).toBe(true);
    const hops = appConfigFrom(validateEnvironment({ TRUST_PROXY: '2' })).trustProxy as (
      a: string,
      i: number,
    ) => boolean;
    expect([0, 1, 2].map((hop) => hops('10.0.0.1', hop))).toEqual([true, true, false]);
    expect(appConfigFrom(validateEnvironment({ TRUST_PROXY: '192.168.1.10, fd00::/8' })).trustProxy).toEqual([
      '192.168.1.10',
      'fd00::/8',
    ]);
    expect(appConfigFrom(validateEnvironment({})).trustProxy).toBe(false);
  });

  it('logs pretty only in development and quietly in tests', () => {
    expect(appConfigFrom(validateEnvironment({ NODE_ENV: 'development' }))).toMatchObject({
      prettyLogs: true,
      logLevel: 'info',
    });
    expect(appConfigFrom(validateEnvironment({ NODE_ENV: 'test' }))).toMatchObject({
      prettyLogs: false,
      logLevel: 'warn',
    });
    expect(appConfigFrom(validateEnvironment({ ...PRODUCTION, LOG_LEVEL: 'debug' }))).toMatchObject({
      prettyLogs: false,
      logLevel: 'debug',
    });
  });

  it('secures cookies by default in production-like environments only; an explicit value wins elsewhere', () => {
    expect(authConfigFrom(validateEnvironment(PRODUCTION)).cookieSecure).toBe(true);
    expect(authConfigFrom(validateEnvironment({ ...PRODUCTION, NODE_ENV: 'staging' })).cookieSecure).toBe(true);
    expect(appConfigFrom(validateEnvironment({ ...PRODUCTION, NODE_ENV: 'staging' })).isProduction).toBe(true);
    expect(authConfigFrom(validateEnvironment({})).cookieSecure).toBe(false);
    expect(authConfigFrom(validateEnvironment({ COOKIE_SECURE: 'true' })).cookieSecure).toBe(true);
  });

  it('sets the access-token lifetime from ACCESS_TOKEN_TTL_SECONDS (15 minutes unless told), in seconds', () => {
    expect(authConfigFrom(validateEnvironment({})).accessTokenTtlSeconds).toBe(900);
    expect(authConfigFrom(validateEnvironment({ ACCESS_TOKEN_TTL_SECONDS: '5' })).accessTokenTtlSeconds).toBe(5);
    expect(problemsOf({ ACCESS_TOKEN_TTL_SECONDS: '0' })).toEqual(['ACCESS_TOKEN_TTL_SECONDS must not be less than 1']);
    expect(problemsOf({ ACCESS_TOKEN_TTL_SECONDS: '15m' })).toContain(
      'ACCESS_TOKEN_TTL_SECONDS must be an integer number',
    );
    expect(problemsOf({ ACCESS_TOKEN_TTL_SECONDS: '86401' })).toEqual([
      'ACCESS_TOKEN_TTL_SECONDS must not be greater than 86400',
    ]);
    expect(problemsOf({ ...PRODUCTION, ACCESS_TOKEN_TTL_SECONDS: '15' })).toEqual([
      'ACCESS_TOKEN_TTL_SECONDS must be at least 60 in production (it counts seconds)',
    ]);
    expect(problemsOf({ ...PRODUCTION, ACCESS_TOKEN_TTL_SECONDS: '600' })).toEqual([]);
  });

  it('generates a per-process JWT secret outside production when none is set', () => {
    const auth = authConfigFrom(validateEnvironment({}));
    expect(auth.jwtSecretGenerated).toBe(true);
    expect(Buffer.byteLength(auth.jwtSecret)).toBeGreaterThanOrEqual(32);
    expect(authConfigFrom(validateEnvironment({})).jwtSecret).toBe(auth.jwtSecret);
    expect(authConfigFrom(validateEnvironment({ JWT_SECRET: STRONG })).jwtSecret).toBe(STRONG);
  });

  it('leaves error tracking and tracing off unless their variables are set', () => {
    expect(observabilityConfigFrom(validateEnvironment({}))).toEqual({ errorTracking: null, tracing: null });
  });

  it('configures error tracking from SENTRY_DSN (or SENTRY_DSN_FILE), filed under NODE_ENV unless told', () => {
    const dsn = 'https://abc123@o1.ingest.example.test/42';
    expect(
      observabilityConfigFrom(validateEnvironment({ SENTRY_DSN: dsn, NODE_ENV: 'test', APP_VERSION: '1.2.3' }))
        .errorTracking,
    ).toEqual({ dsn, environment: 'test', release: '1.2.3' });
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    writeFileSync(join(dir, 'dsn'), `${dsn}\n`);
    expect(
      observabilityConfigFrom(validateEnvironment({ SENTRY_DSN_FILE: join(dir, 'dsn'), SENTRY_ENVIRONMENT: 'eu-1' }))
        .errorTracking,
    ).toMatchObject({ dsn, environment: 'eu-1' });
    expect(problemsOf({ SENTRY_DSN: 'https://o1.ingest.example.test/42' })).toEqual([
      expect.stringContaining('SENTRY_DSN must be a DSN'),
    ]);
  });

  it('configures tracing from the OTLP endpoint, headers and sampler', () => {
    const tracing = observabilityConfigFrom(
      validateEnvironment({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example.test:4318/',
        OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=s%3Dcret, x-team=cafe',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.25',
      }),
    ).tracing;
    expect(tracing).toEqual({
      tracesUrl: 'https://otel.example.test:4318/v1/traces',
      headers: { 'x-api-key': 's=cret', 'x-team': 'cafe' },
      sampler: 'parentbased_traceidratio',
      ratio: 0.25,
    });
    expect(
      observabilityConfigFrom(validateEnvironment({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).tracing,
    ).toMatchObject({ headers: {}, sampler: 'parentbased_always_on', ratio: 1 });
  });

  it.each([
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }, 'OTEL_EXPORTER_OTLP_ENDPOINT must be an http'],
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, 'OTEL_EXPORTER_OTLP_PROTOCOL must be http/json'],
    [{ OTEL_EXPORTER_OTLP_HEADERS: 'no-equals-sign' }, 'OTEL_EXPORTER_OTLP_HEADERS must be key=value pairs'],
    [{ OTEL_EXPORTER_OTLP_HEADERS: 'x=%E0%A4%A' }, 'OTEL_EXPORTER_OTLP_HEADERS must be key=value pairs'],
    [{ OTEL_TRACES_SAMPLER: 'jaeger_remote' }, 'OTEL_TRACES_SAMPLER'],
    [{ OTEL_TRACES_SAMPLER_ARG: '1.5' }, 'OTEL_TRACES_SAMPLER_ARG'],
  ])('refuses %p', (raw, message) => {
    expect(problemsOf(raw)).toEqual([expect.stringContaining(message)]);
  });
});
