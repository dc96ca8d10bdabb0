import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { DatabaseCircuitBreaker } from '@coffee/database';
import { businessDate } from '@coffee/orders';
import { seedRestaurant, TEST_PASSWORD } from '../factories/restaurant.factory';
import { describeFull } from '../support/env';
import { BrowserSession } from '../support/session';
import { eventually } from '../support/processes';
import { TcpProxy } from '../support/tcp-proxy';
import { startTestApi, type TestApi } from '../support/test-app';

function target(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port) };
}

/** How long one connect to MariaDB may take: failing fast means answering well within it. */
const CONNECT_TIMEOUT_MS = 2000;
const POOL_SIZE = 10;

/** A value from the Prometheus text, or undefined when the series is absent. */
function metricValue(text: string, series: string): number | undefined {
  const line = text.split('\n').find((entry) => entry.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describeFull('dependency outages (MariaDB and Redis behind a cuttable proxy)', () => {
  let api: TestApi;
  let database: TcpProxy;
  let redis: TcpProxy;

  beforeAll(async () => {
    const db = target(process.env.DATABASE_URL ?? '');
    const cache = target(process.env.REDIS_URL ?? '');
    database = new TcpProxy(db.host, db.port);
    redis = new TcpProxy(cache.host, cache.port);
    await database.start();
    await redis.start();
    const dbUrl = new URL(process.env.DATABASE_URL ?? '');
    dbUrl.port = String(database.port);
    api = await startTestApi({
      DATABASE_URL: dbUrl.toString(),
      REDIS_URL: `redis://127.0.0.1:${redis.port}`,
      DB_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
      DB_POOL_SIZE: String(POOL_SIZE),
    });
  });

  /**
   * Reconnection takes a moment, and an open database circuit lets a probe
   * through only after DB_BREAKER_RESET_MS (5 s): poll readiness until it is 200 again.
   */
  async function readyAgain(): Promise<void> {
    const status = await eventually(
      async () => {
        const res = await request(api.server).get('/health/ready');
        return res.status === 200 ? res.status : undefined;
      },
      75,
      200,
    );
    expect(status).toBe(200);
  }

  async function metrics(): Promise<string> {
    return (await request(api.server).get('/metrics').expect(200)).text;
  }

  /** mysql2's queue of queries waiting for a pool connection (not public API; also the db_pool_connections gauge). */
  function poolQueueLength(): number {
    const pool = (api.app.get(DataSource).driver as unknown as { pool: { _connectionQueue: { length: number } } }).pool;
    return pool._connectionQueue.length;
  }

  afterAll(async () => {
    await api?.close();
    await database?.cut();
    await redis?.cut();
  });

  it('readiness answers 503 naming the database while MariaDB is away, and 200 once it is back; liveness stays 200', async () => {
    await request(api.server).get('/health/ready').expect(200);
    const cafe = await seedRestaurant(api.app);
    const session = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);

    const cutAt = performance.now();
    await database.cut();
    // Routes that need the database answer 503 problem+json at once, never hang or 500.
    const users = await session.get('/api/v1/users').expect(503);
    expect(performance.now() - cutAt).toBeLessThan(CONNECT_TIMEOUT_MS / 2);
    expect(users.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(users.body.code).toBe('SERVICE_UNAVAILABLE');
    expect(users.headers['retry-after']).toBeDefined();
    const down = await request(api.server).get('/health/ready').expect(503);
    expect(down.body).toMatchObject({ status: 'error', error: { database: { status: 'down' } } });
    expect(down.body.info).toHaveProperty('redis');
    await request(api.server).get('/health/live').expect(200, { status: 'ok' });
    const health = await request(api.server).get('/health').expect(503);
    expect(health.body.details.app).toMatchObject({ status: 'up' });

    await database.restore();
    await readyAgain();
    await request(api.server).get('/health/live').expect(200);
    await session.get('/api/v1/users').expect(200);
  });

  it('while connections to MariaDB hang, the circuit opens: queries fail fast with 503 instead of queueing on the pool, and it closes again once MariaDB is back', async () => {
    const cafe = await seedRestaurant(api.app);
    const session = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
    const circuit = api.app.get(DatabaseCircuitBreaker);
    expect(metricValue(await metrics(), 'db_circuit_state')).toBe(0);

    database.stall();
    // Until the breaker opens, each query waits for the connect timeout (fewer at once than the pool holds).
    await eventually(
      async () => {
        const answers = await Promise.all(Array.from({ length: POOL_SIZE - 2 }, () => session.get('/api/v1/users')));
        expect(answers.map((res) => res.status)).toEqual(answers.map(() => 503));
        return circuit.state === 'open' ? true : undefined;
      },
      10,
      0,
    );
    const open = await metrics();
    expect(metricValue(open, 'db_circuit_state')).toBe(2);
    const rejectedBefore = metricValue(open, 'db_circuit_rejections_total') ?? 0;

    // Open: three times as many requests as the pool has connections, all at once.
    const burst = POOL_SIZE * 3;
    let longestQueue = poolQueueLength();
    const sampler = setInterval(() => (longestQueue = Math.max(longestQueue, poolQueueLength())), 1);
    const startedAt = performance.now();
    const answers = await Promise.all(
      Array.from({ length: burst }, async () => {
        const res = await session.get('/api/v1/users');
        longestQueue = Math.max(longestQueue, poolQueueLength());
        return { res, ms: performance.now() - startedAt };
      }),
    ).finally(() => clearInterval(sampler));
    for (const { res } of answers) {
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe('SERVICE_UNAVAILABLE');
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    const firstUnavailableMs = Math.min(...answers.map(({ ms }) => ms));
    expect(firstUnavailableMs).toBeLessThan(CONNECT_TIMEOUT_MS / 2);
    expect(longestQueue).toBe(0);
    // Refused by the breaker without reaching the pool (one may have been a half-open probe).
    const rejected = metricValue(await metrics(), 'db_circuit_rejections_total') ?? 0;
    expect(rejected - rejectedBefore).toBeGreaterThanOrEqual(burst - 1);

    const down = await request(api.server).get('/health/ready').expect(503);
    expect(down.body).toMatchObject({ status: 'error', error: { database: { status: 'down' } } });
    await request(api.server).get('/health/live').expect(200, { status: 'ok' });

    await database.restore();
    await readyAgain();
    await session.get('/api/v1/users').expect(200);
    expect(circuit.state).toBe('closed');
    expect(metricValue(await metrics(), 'db_circuit_state')).toBe(0);
  }, 60_000);

  it('while Redis is away: sign-in fails closed (503), other routes fail open, the tenant check falls back to the database', async () => {
    const cafe = await seedRestaurant(api.app);
    const session = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
    await redis.cut();
    try {
      const login = await request(api.server)
        .post('/api/v1/auth/login')
        .send({ email: cafe.owner.email, password: TEST_PASSWORD });
      expect(login.status).toBe(503);
      expect(login.body.code).toBe('SERVICE_UNAVAILABLE');
      const me = await session.get('/api/v1/auth/me').expect(200);
      expect(me.body.id).toBe(cafe.owner.id);
      await session.get('/api/v1/users').expect(200);
    } finally {
      await redis.restore();
    }
    await readyAgain();
    await request(api.server)
      .post('/api/v1/auth/login')
      .send({ email: cafe.owner.email, password: TEST_PASSWORD })
      .expect(200);
  });

  it('readiness answers 503 naming Redis while Redis is away, and recovers', async () => {
    await redis.cut();
    const down = await request(api.server).get('/health/ready').expect(503);
    expect(down.body).toMatchObject({ status: 'error', error: { redis: { status: 'down' } } });
    expect(down.body.info).toHaveProperty('database');
    await request(api.server).get('/health/live').expect(200);

    await redis.restore();
    await readyAgain();
  });

  it('an API started while Redis is away queues jobs once Redis is back', async () => {
    const cache = target(process.env.REDIS_URL ?? '');
    const away = new TcpProxy(cache.host, cache.port);
    await away.start();
    await away.cut();
    const late = await startTestApi({
      REDIS_URL: `redis://127.0.0.1:${away.port}`,
      // No worker takes this API's jobs: they stay queued.
      REDIS_KEY_PREFIX: `late-${randomBytes(4).toString('hex')}`,
    });
    try {
      const cafe = await seedRestaurant(api.app, { timezone: 'UTC' });
      // Signed in through the API that has Redis; the same cookies work on the other.
      const session = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
      const there = Object.assign(new BrowserSession(late.server), {
        cookies: session.cookies,
        csrfToken: session.csrfToken,
      });
      const queueReport = () => there.post('/api/v1/reports/daily', { date: businessDate(new Date(), 'UTC') });

      const refused = await queueReport();
      expect([refused.status, refused.body.code]).toEqual([503, 'SERVICE_UNAVAILABLE']);
      await away.restore();
      const accepted = await eventually(
        async () => {
          const res = await queueReport();
          return res.status === 202 ? res : undefined;
        },
        50,
        200,
      );
      const { jobId } = accepted.body as { jobId: string };
      expect((await there.get(`/api/v1/reports/jobs/${jobId}`).expect(200)).body).toEqual({
        id: jobId,
        state: 'waiting',
      });
    } finally {
      await late.close();
      await away.cut();
    }
  });
});
