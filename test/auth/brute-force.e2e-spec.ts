import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { seedRestaurant, TEST_PASSWORD, uniqueEmail, type SeededRestaurant } from '../factories/restaurant.factory';
import { BrowserSession } from '../support/session';
import { startTestApi, type TestApi } from '../support/test-app';

const randomIp = (): string => `198.18.${randomBytes(1)[0]}.${(randomBytes(1)[0] ?? 0) % 254 || 1}`;

function tally(statuses: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

describe('auth: exact account lockout under parallel attempts', () => {
  let api: TestApi;
  let cafe: SeededRestaurant;

  beforeAll(async () => {
    api = await startTestApi();
    cafe = await seedRestaurant(api.app);
  });

  afterAll(async () => {
    await api.close();
  });

  it('20 wrong passwords in parallel: exactly 5 × 401, then 15 × 423, and the right password is refused too', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        request(api.server)
          .post('/api/v1/auth/login')
          .send({ email: cafe.owner.email, password: `wrong-password-${i}` }),
      ),
    );
    expect(tally(results.map((res) => res.status))).toEqual({ 401: 5, 423: 15 });
    for (const res of results.filter((r) => r.status === 423)) expect(res.body.code).toBe('ACCOUNT_LOCKED');
    const locked = await request(api.server)
      .post('/api/v1/auth/login')
      .send({ email: cafe.owner.email, password: TEST_PASSWORD })
      .expect(423);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('auth: exact per-IP limits for sign-in, failed authentication, CSRF and API keys', () => {
  let api: TestApi;
  let cafe: SeededRestaurant;

  beforeAll(async () => {
    api = await startTestApi({ LOGIN_IP_MAX_FAILURES: '3', AUTH_FAILURE_IP_LIMIT: '3', TRUST_PROXY: '1' });
    cafe = await seedRestaurant(api.app);
  });

  afterAll(async () => {
    await api.close();
  });

  const login = (ip: string, email: string, password: string) =>
    request(api.server).post('/api/v1/auth/login').set('X-Forwarded-For', ip).send({ email, password });

  /** Signs in from an address of its own: suites share 127.0.0.1 and, in full mode, its counters in Redis. */
  async function signIn(): Promise<BrowserSession> {
    const session = new BrowserSession(api.server);
    session.absorb(await login(randomIp(), cafe.owner.email, TEST_PASSWORD).expect(200));
    return session;
  }

  it('12 wrong sign-ins in parallel from one IP: exactly 3 × 401, then 429 with Retry-After', async () => {
    const ip = randomIp();
    const results = await Promise.all(
      Array.from({ length: 12 }, () => login(ip, uniqueEmail('ghost'), 'wrong-password-1')),
    );
    expect(tally(results.map((res) => res.status))).toEqual({ 401: 3, 429: 9 });
    const limited = results.find((res) => res.status === 429);
    expect(limited?.body.code).toBe('RATE_LIMITED');
    expect(Number(limited?.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('a successful sign-in gives its attempt back: the budget counts failures', async () => {
    const ip = randomIp();
    for (let i = 0; i < 4; i++) await login(ip, cafe.owner.email, TEST_PASSWORD).expect(200);
    for (let i = 0; i < 3; i++) await login(ip, uniqueEmail('ghost'), 'wrong-password-1').expect(401);
    await login(ip, cafe.owner.email, TEST_PASSWORD).expect(429);
  });

  it('requests failing authentication count against the IP: past the budget 429, even with a valid token', async () => {
    const session = await signIn();
    const ip = randomIp();
    const call = (token: string, from = ip) =>
      request(api.server).get('/api/v1/users').set('X-Forwarded-For', from).set('Authorization', `Bearer ${token}`);
    for (let i = 0; i < 3; i++) {
      const res = await call('not-a-token');
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    }
    const limited = await call('not-a-token').expect(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    await call(session.accessToken).expect(429);
    await call(session.accessToken, randomIp()).expect(200);
    // Missing credentials on a protected route are failures as well.
    const other = randomIp();
    for (let i = 0; i < 3; i++)
      await request(api.server).get('/api/v1/users').set('X-Forwarded-For', other).expect(401);
    await request(api.server).get('/api/v1/users').set('X-Forwarded-For', other).expect(429);
  });

  it('refused refresh tokens count against the IP the same way', async () => {
    const ip = randomIp();
    const guess = () =>
      request(api.server)
        .post('/api/v1/auth/refresh')
        .set('X-Forwarded-For', ip)
        .set('Cookie', `refresh_token=${randomBytes(32).toString('base64url')}`);
    for (let i = 0; i < 3; i++) expect((await guess()).status).toBe(401);
    expect((await guess()).status).toBe(429);
  });

  it('CSRF failures count against the IP the same way', async () => {
    const session = await signIn();
    const ip = randomIp();
    const forged = () =>
      session
        .write('post', '/api/v1/users', { csrf: null })
        .set('X-Forwarded-For', ip)
        .send({ email: uniqueEmail('s'), name: 'S', role: 'staff', password: TEST_PASSWORD });
    for (let i = 0; i < 3; i++) expect((await forged()).body.code).toBe('CSRF_FAILED');
    const limited = await forged().expect(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
  });

  it('random ck_live_ keys: an unknown prefix is answered from a cache the second time, and the IP is limited', async () => {
    const hits = async (): Promise<number> => {
      const text = (await request(api.server).get('/metrics').expect(200)).text;
      const line = text.split('\n').find((l) => l.startsWith('api_key_unknown_prefix_cache_hits_total'));
      return Number(line?.split(' ')[1] ?? 0);
    };
    const key = `ck_live_${randomBytes(32).toString('base64url')}`;
    const before = await hits();
    const call = (from: string) =>
      request(api.server).get('/api/v1/orders').set('X-Forwarded-For', from).set('Authorization', `Bearer ${key}`);
    await call(randomIp()).expect(401);
    expect(await hits()).toBe(before);
    await call(randomIp()).expect(401);
    expect(await hits()).toBe(before + 1);

    const ip = randomIp();
    for (let i = 0; i < 3; i++) {
      const guess = `ck_live_${randomBytes(32).toString('base64url')}`;
      await request(api.server)
        .get('/api/v1/orders')
        .set('X-Forwarded-For', ip)
        .set('Authorization', `Bearer ${guess}`)
        .expect(401);
    }
    await call(ip).expect(429);
  });
});
