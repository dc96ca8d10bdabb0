import request from 'supertest';
import { DataSource } from 'typeorm';
import { RestaurantEntity } from '@coffee/tenancy';
import { UserEntity } from '@coffee/users';
import { seedRestaurant, TEST_PASSWORD, type SeededRestaurant } from '../factories/restaurant.factory';
import { describeFull } from '../support/env';
import { eventually, spawnApp, type RunningProcess } from '../support/processes';
import { BrowserSession, bearer, parseSetCookie } from '../support/session';
import { TcpProxy } from '../support/tcp-proxy';
import { startTestApi, type TestApi } from '../support/test-app';

/** The old access token, both ways it can be presented: as the cookie and as a bearer token. */
async function statusesWith(api: TestApi, token: string, path = '/api/v1/auth/me'): Promise<[number, number]> {
  const byCookie = await request(api.server).get(path).set('Cookie', `access_token=${token}`);
  const byBearer = await bearer(api.server, token).get(path);
  return [byCookie.status, byBearer.status];
}

describe('auth: sessions end on the very next request', () => {
  let api: TestApi;
  let cafe: SeededRestaurant;

  beforeAll(async () => {
    api = await startTestApi();
  });

  beforeEach(async () => {
    cafe = await seedRestaurant(api.app);
  });

  afterAll(async () => {
    await api.close();
  });

  it('logout: the access token of that session answers 401 as a cookie and as a bearer, at once', async () => {
    const session = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
    const token = session.accessToken;
    expect(await statusesWith(api, token, '/api/v1/users')).toEqual([200, 200]);
    await session.post('/api/v1/auth/logout').expect(204);
    expect(await statusesWith(api, token, '/api/v1/users')).toEqual([401, 401]);
    const res = await bearer(api.server, token).get('/api/v1/auth/me').expect(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
  });

  it('logout by bearer ends the session as well', async () => {
    const session = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
    await bearer(api.server, session.accessToken).post('/api/v1/auth/logout').expect(204);
    expect(await statusesWith(api, session.accessToken)).toEqual([401, 401]);
    expect((await session.refresh()).status).toBe(401);
  });

  it('logout-all: 204, clears the cookies, and every session of the user ends (access and refresh)', async () => {
    const first = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
    const second = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
    const res = await first.post('/api/v1/auth/logout-all').expect(204);
    const cleared = parseSetCookie(res.headers['set-cookie']);
    for (const name of ['access_token', 'refresh_token', 'csrf_token']) expect(cleared[name]?.value).toBe('');
    for (const session of [first, second]) {
      expect(await statusesWith(api, session.accessToken)).toEqual([401, 401]);
      expect((await session.refresh()).status).toBe(401);
    }
    // Signing in again works: logout-all ends sessions, not the account.
    await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
  });

  it('logout-all needs a signed-in user and the CSRF token of a cookie session', async () => {
    await request(api.server).post('/api/v1/auth/logout-all').expect(401);
    const session = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
    const res = await session.write('post', '/api/v1/auth/logout-all', { csrf: null }).expect(403);
    expect(res.body.code).toBe('CSRF_FAILED');
    await session.get('/api/v1/auth/me').expect(200);
  });

  it('change-password: the other sessions’ access tokens answer 401 at once; this one keeps working', async () => {
    const mine = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
    const other = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
    await mine
      .post('/api/v1/auth/change-password', { currentPassword: TEST_PASSWORD, newPassword: 'a-brand-new-Passphrase-7' })
      .expect(204);
    expect(await statusesWith(api, other.accessToken, '/api/v1/users')).toEqual([401, 401]);
    expect(await statusesWith(api, mine.accessToken, '/api/v1/users')).toEqual([200, 200]);
  });

  it('a deactivated user’s access token answers 401 on the next request', async () => {
    const owner = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
    const email = `staff.${Date.now()}@example.test`;
    const created = await owner
      .post('/api/v1/users', { email, name: 'Sam', role: 'staff', password: TEST_PASSWORD })
      .expect(201);
    const staff = await BrowserSession.login(api.server, email, TEST_PASSWORD);
    // A route that reads nothing about the user itself (unlike /auth/me).
    expect(await statusesWith(api, staff.accessToken, '/api/v1/orders')).toEqual([200, 200]);
    await owner.delete(`/api/v1/users/${created.body.id}`).expect(204);
    expect(await statusesWith(api, staff.accessToken, '/api/v1/orders')).toEqual([401, 401]);
  });

  it('a suspended restaurant’s users get 403 TENANT_SUSPENDED on the next request, with nothing but the database changed', async () => {
    const session = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
    await session.get('/api/v1/users').expect(200);
    await api.app
      .get(DataSource)
      .getRepository(RestaurantEntity)
      .update({ id: cafe.restaurant.id }, { status: 'suspended' });
    for (const res of [
      await session.get('/api/v1/users'),
      await bearer(api.server, session.accessToken).get('/api/v1/users'),
    ]) {
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('TENANT_SUSPENDED');
    }
    await api.app
      .get(DataSource)
      .getRepository(RestaurantEntity)
      .update({ id: cafe.restaurant.id }, { status: 'active' });
    await session.get('/api/v1/users').expect(200);
  });

  it('an API key of a suspended restaurant is refused on its next use too', async () => {
    const owner = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
    const key = (await owner.post('/api/v1/api-keys', { name: 'pos', scopes: ['menu:read'] }).expect(201)).body
      .key as string;
    await bearer(api.server, key).get('/api/v1/menu/categories').expect(200);
    await api.app
      .get(DataSource)
      .getRepository(RestaurantEntity)
      .update({ id: cafe.restaurant.id }, { status: 'suspended' });
    const res = await bearer(api.server, key).get('/api/v1/menu/categories').expect(403);
    expect(res.body.code).toBe('TENANT_SUSPENDED');
  });

  it('a user deactivated directly in the database is refused too (the database is the truth)', async () => {
    const session = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
    await api.app.get(DataSource).getRepository(UserEntity).update({ id: cafe.owner.id }, { isActive: false });
    expect(await statusesWith(api, session.accessToken, '/api/v1/users')).toEqual([401, 401]);
  });
});

describeFull('auth: revocation across instances and through a Redis outage', () => {
  let seeder: TestApi;
  let cafe: SeededRestaurant;

  beforeAll(async () => {
    seeder = await startTestApi();
  });

  beforeEach(async () => {
    cafe = await seedRestaurant(seeder.app);
  });

  afterAll(async () => {
    await seeder.close();
  });

  it('logout on one instance: the token is refused on another at once, by cookie and bearer', async () => {
    const apis: RunningProcess[] = [];
    try {
      apis.push(await spawnApp('api'), await spawnApp('api'));
      const [one, two] = apis as [RunningProcess, RunningProcess];
      const login = await request(one.url)
        .post('/api/v1/auth/login')
        .send({ email: cafe.owner.email, password: TEST_PASSWORD })
        .expect(200);
      const cookies = parseSetCookie(login.headers['set-cookie']);
      const token = cookies.access_token?.value ?? '';
      const csrf = login.body.csrfToken as string;
      const onTwo = async (): Promise<[number, number]> => [
        (await request(two.url).get('/api/v1/users').set('Cookie', `access_token=${token}`)).status,
        (await request(two.url).get('/api/v1/users').set('Authorization', `Bearer ${token}`)).status,
      ];
      expect(await onTwo()).toEqual([200, 200]);
      await request(one.url)
        .post('/api/v1/auth/logout')
        .set('Cookie', `access_token=${token}; csrf_token=${csrf}; refresh_token=${cookies.refresh_token?.value}`)
        .set('X-CSRF-Token', csrf)
        .expect(204);
      expect(await onTwo()).toEqual([401, 401]);
    } finally {
      await Promise.all(apis.map((proc) => proc.stop()));
    }
  });

  it('while Redis is away the check reads the database: a valid session works, a revoked one is refused', async () => {
    const cache = new URL(process.env.REDIS_URL ?? '');
    const redis = new TcpProxy(cache.hostname, Number(cache.port));
    await redis.start();
    const api = await startTestApi({ REDIS_URL: `redis://127.0.0.1:${redis.port}` });
    try {
      const kept = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
      const ended = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
      await redis.cut();
      await ended.post('/api/v1/auth/logout').expect(204);
      expect(await statusesWith(api, ended.accessToken, '/api/v1/users')).toEqual([401, 401]);
      expect(await statusesWith(api, kept.accessToken, '/api/v1/users')).toEqual([200, 200]);
    } finally {
      await redis.restore();
      await eventually(async () =>
        (await request(api.server).get('/health/ready')).status === 200 ? true : undefined,
      );
      await api.close();
      await redis.cut();
    }
  });
});
