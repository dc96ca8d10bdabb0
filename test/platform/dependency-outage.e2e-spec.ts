import { randomBytes } from 'node:crypto';
import request from 'supertest';
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
      DB_CONNECT_TIMEOUT_MS: '500',
    });
  });

  /** Reconnection takes a moment: poll readiness until it is 200 again. */
  async function readyAgain(): Promise<void> {
    const status = await eventually(
      async () => {
        const res = await request(api.server).get('/health/ready');
        return res.status === 200 ? res.status : undefined;
      },
      30,
      200,
    );
    expect(status).toBe(200);
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

    await database.cut();
    // Routes that need the database answer 503 problem+json at once, never hang or 500.
    const users = await session.get('/api/v1/users').expect(503);
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
