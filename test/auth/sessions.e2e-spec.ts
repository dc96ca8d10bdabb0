import { createHmac } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { RestaurantEntity } from '@coffee/tenancy';
import { seedRestaurant, TEST_PASSWORD, uniqueEmail, type SeededRestaurant } from '../factories/restaurant.factory';
import { TEST_JWT_SECRET } from '../support/env';
import { BrowserSession, bearer, parseSetCookie } from '../support/session';
import { startTestApi, type TestApi } from '../support/test-app';

const PROBLEM = /^application\/problem\+json/;

function b64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function forgeJwt(header: object, payload: object, secret = TEST_JWT_SECRET): string {
  const unsigned = `${b64url(header)}.${b64url(payload)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

function setCookies(res: request.Response) {
  return parseSetCookie(res.headers['set-cookie']);
}

describe('auth: cookie sessions, refresh rotation, CSRF, lockout', () => {
  let api: TestApi;
  let cafe: SeededRestaurant;

  const login = (email: string, password: string) =>
    request(api.server).post('/api/v1/auth/login').send({ email, password });

  beforeAll(async () => {
    api = await startTestApi();
  });

  beforeEach(async () => {
    cafe = await seedRestaurant(api.app);
  });

  afterAll(async () => {
    await api.close();
  });

  describe('login', () => {
    it('sets the three cookies with the contract attributes and answers { user, csrfToken }', async () => {
      const res = await login(cafe.owner.email.toUpperCase(), TEST_PASSWORD).expect(200);
      expect(res.body.user).toMatchObject({
        id: cafe.owner.id,
        email: cafe.owner.email,
        role: 'owner',
        restaurantId: cafe.restaurant.id,
        isActive: true,
      });
      expect(res.body.user.lastLoginAt).toEqual(expect.any(String));
      expect(res.body.user).not.toHaveProperty('passwordHash');
      const cookies = setCookies(res);
      expect(cookies.access_token?.attributes).toMatchObject({
        httponly: true,
        samesite: 'Lax',
        path: '/',
        'max-age': '900',
      });
      expect(cookies.refresh_token?.attributes).toMatchObject({
        httponly: true,
        samesite: 'Strict',
        path: '/api/v1/auth',
        'max-age': '604800',
      });
      expect(cookies.csrf_token?.attributes).toMatchObject({ samesite: 'Strict', path: '/' });
      expect(cookies.csrf_token?.attributes.httponly).toBeUndefined();
      expect(cookies.csrf_token?.value).toBe(res.body.csrfToken);
      // Not production and COOKIE_SECURE unset: no Secure attribute (the production default is tested elsewhere).
      expect(cookies.access_token?.attributes.secure).toBeUndefined();
    });

    it('answers unknown email and wrong password with the same 401 body', async () => {
      const wrong = await login(cafe.owner.email, 'not-the-password-1').expect(401);
      const unknown = await login(uniqueEmail('ghost'), 'not-the-password-1').expect(401);
      expect(wrong.headers['content-type']).toMatch(PROBLEM);
      for (const res of [wrong, unknown]) {
        expect(res.body).toMatchObject({
          status: 401,
          code: 'INVALID_CREDENTIALS',
          detail: 'Email or password is incorrect',
        });
        expect(res.headers['set-cookie']).toBeUndefined();
      }
      const strip = (body: Record<string, unknown>) => ({ ...body, requestId: undefined });
      expect(strip(wrong.body)).toEqual(strip(unknown.body));
    });

    it('validates the body (422) and refuses unknown properties', async () => {
      const res = await request(api.server)
        .post('/api/v1/auth/login')
        .send({ email: 'not-an-email', password: '', remember: true })
        .expect(422);
      expect((res.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual([
        'email',
        'password',
        'remember',
      ]);
    });

    it('locks the account after 5 failures (423), refusing even the right password', async () => {
      for (let i = 0; i < 5; i++) await login(cafe.owner.email, `wrong-password-${i}`).expect(401);
      const locked = await login(cafe.owner.email, TEST_PASSWORD).expect(423);
      expect(locked.body.code).toBe('ACCOUNT_LOCKED');
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
      await login(cafe.owner.email, 'wrong-password-x').expect(423);
    });

    it('does not lock after fewer than 5 failures, and a success resets the count', async () => {
      for (let i = 0; i < 4; i++) await login(cafe.owner.email, `wrong-${i}-password`).expect(401);
      await login(cafe.owner.email, TEST_PASSWORD).expect(200);
      for (let i = 0; i < 4; i++) await login(cafe.owner.email, `wrong-${i}-password`).expect(401);
      await login(cafe.owner.email, TEST_PASSWORD).expect(200);
    });

    it('refuses a foreign Origin with 403 CSRF_FAILED, accepts an allowed one', async () => {
      const foreign = await login(cafe.owner.email, TEST_PASSWORD)
        .set('Origin', 'https://evil.example.test')
        .expect(403);
      expect(foreign.body.code).toBe('CSRF_FAILED');
      await login(cafe.owner.email, TEST_PASSWORD).set('Origin', 'https://admin.example.test').expect(200);
    });

    it('answers 403 TENANT_SUSPENDED to a suspended restaurant, and to its users on their next request', async () => {
      const session = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
      await session.get('/api/v1/auth/me').expect(200);
      await api.app
        .get(DataSource)
        .getRepository(RestaurantEntity)
        .update({ id: cafe.restaurant.id }, { status: 'suspended' });

      const next = await session.get('/api/v1/users').expect(403);
      expect(next.body.code).toBe('TENANT_SUSPENDED');
      expect((await session.get('/api/v1/auth/me')).body.code).toBe('TENANT_SUSPENDED');
      const again = await login(cafe.owner.email, TEST_PASSWORD).expect(403);
      expect(again.body.code).toBe('TENANT_SUSPENDED');
      expect((await session.refresh()).status).toBe(403);
    });
  });

  describe('me, bearer and tokens', () => {
    it('GET /auth/me answers the current user by cookie or by bearer JWT', async () => {
      const session = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
      const byCookie = await session.get('/api/v1/auth/me').expect(200);
      expect(byCookie.body).toMatchObject({ id: cafe.owner.id, role: 'owner' });
      const byBearer = await bearer(api.server, session.accessToken).get('/api/v1/auth/me').expect(200);
      expect(byBearer.body.id).toBe(cafe.owner.id);
      const anonymous = await request(api.server).get('/api/v1/auth/me').expect(401);
      expect(anonymous.body.code).toBe('UNAUTHENTICATED');
    });

    it('refuses alg:none, other algorithms, a wrong secret, expired, foreign audience/issuer and tampered tokens', async () => {
      const session = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
      const [, payloadPart] = session.accessToken.split('.');
      const claims = JSON.parse(Buffer.from(payloadPart ?? '', 'base64url').toString()) as Record<string, unknown>;
      const now = Math.floor(Date.now() / 1000);
      const header = { alg: 'HS256', typ: 'JWT' };
      const bad = [
        `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}.`,
        forgeJwt({ alg: 'HS512', typ: 'JWT' }, claims),
        forgeJwt(header, claims, 'another-secret-another-secret-xx'),
        forgeJwt(header, { ...claims, exp: now - 10, iat: now - 1000 }),
        forgeJwt(header, { ...claims, aud: 'someone-else' }),
        forgeJwt(header, { ...claims, iss: 'someone-else' }),
        `${session.accessToken.slice(0, -2)}xx`,
      ];
      for (const token of bad) {
        const res = await bearer(api.server, token).get('/api/v1/auth/me');
        expect(res.status).toBe(401);
        expect(res.body.code).toBe('UNAUTHENTICATED');
      }
      // The same claims, properly signed, pass: the refusals above are about the token, not the user.
      await bearer(api.server, forgeJwt(header, claims)).get('/api/v1/auth/me').expect(200);
    });
  });

  describe('CSRF', () => {
    const newStaff = () => ({ email: uniqueEmail('staff'), name: 'Sam', role: 'staff', password: TEST_PASSWORD });

    it('refuses cookie-authenticated writes without the token, with a wrong one, or with another session’s', async () => {
      const session = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
      const missing = await session.write('post', '/api/v1/users', { csrf: null }).send(newStaff()).expect(403);
      expect(missing.body.code).toBe('CSRF_FAILED');
      const wrong = await session.write('post', '/api/v1/users', { csrf: 'abc.def' }).send(newStaff()).expect(403);
      expect(wrong.body.code).toBe('CSRF_FAILED');
      // A token of another session, planted in both cookie and header (cookie tossing), is not enough.
      const other = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
      const tossed = await request(api.server)
        .post('/api/v1/users')
        .set('Cookie', `access_token=${session.accessToken}; csrf_token=${other.csrfToken}`)
        .set('X-CSRF-Token', other.csrfToken)
        .send(newStaff())
        .expect(403);
      expect(tossed.body.code).toBe('CSRF_FAILED');
      await session.post('/api/v1/users', newStaff()).expect(201);
    });

    it('does not ask bearer requests for a token', async () => {
      const session = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
      await bearer(api.server, session.accessToken).post('/api/v1/users', newStaff()).expect(201);
    });

    it('lets safe methods through without a token', async () => {
      const session = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
      await session.get('/api/v1/users').expect(200);
    });
  });

  describe('refresh', () => {
    it('rotates all three cookies; the old refresh token is dead', async () => {
      const session = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
      const before = { ...session.cookies };
      const res = await session.refresh();
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ user: { id: cafe.owner.id }, csrfToken: expect.any(String) });
      expect(session.cookies.refresh_token).not.toBe(before.refresh_token);
      expect(session.cookies.csrf_token).not.toBe(before.csrf_token);
      await session.get('/api/v1/auth/me').expect(200);
      await session
        .post('/api/v1/users', { email: uniqueEmail('s'), name: 'S', role: 'staff', password: TEST_PASSWORD })
        .expect(201);
      await request(api.server)
        .post('/api/v1/auth/refresh')
        .set('Cookie', `refresh_token=${before.refresh_token}`)
        .expect(401);
    });

    it('revokes the whole family when a rotated token is presented again', async () => {
      const session = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
      const stolen = session.cookies.refresh_token;
      expect((await session.refresh()).status).toBe(200);
      const replay = await request(api.server)
        .post('/api/v1/auth/refresh')
        .set('Cookie', `refresh_token=${stolen}`)
        .expect(401);
      expect(replay.body.code).toBe('UNAUTHENTICATED');
      // The legitimate descendant dies with the family.
      expect((await session.refresh()).status).toBe(401);
    });

    it('lets at most one of two parallel refreshes with the same token succeed', async () => {
      const session = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
      const cookie = `refresh_token=${session.cookies.refresh_token}`;
      const results = await Promise.all(
        [0, 1].map(() => request(api.server).post('/api/v1/auth/refresh').set('Cookie', cookie)),
      );
      expect(results.filter((res) => res.status === 200).length).toBeLessThanOrEqual(1);
      expect(results.every((res) => res.status === 200 || res.status === 401)).toBe(true);
    });

    it('answers 401 without a refresh cookie', async () => {
      const res = await request(api.server).post('/api/v1/auth/refresh').expect(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('logout and change password', () => {
    it('logout answers 204, clears the cookies and kills the refresh token', async () => {
      const session = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
      const refresh = session.cookies.refresh_token;
      const res = await session.post('/api/v1/auth/logout').expect(204);
      const cleared = setCookies(res);
      for (const name of ['access_token', 'refresh_token', 'csrf_token']) expect(cleared[name]?.value).toBe('');
      await request(api.server).post('/api/v1/auth/refresh').set('Cookie', `refresh_token=${refresh}`).expect(401);
    });

    it('logout of a cookie session needs the CSRF token', async () => {
      const session = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
      const res = await session.write('post', '/api/v1/auth/logout', { csrf: null }).expect(403);
      expect(res.body.code).toBe('CSRF_FAILED');
    });

    it('change-password answers 204, keeps this session and revokes the others', async () => {
      const mine = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
      const other = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
      const newPassword = 'a-brand-new-Passphrase-7';
      await mine.post('/api/v1/auth/change-password', { currentPassword: TEST_PASSWORD, newPassword }).expect(204);
      expect((await other.refresh()).status).toBe(401);
      expect((await mine.refresh()).status).toBe(200);
      await login(cafe.owner.email, TEST_PASSWORD).expect(401);
      await login(cafe.owner.email, newPassword).expect(200);
    });

    it('change-password refuses a wrong current password and a short, long or common new one', async () => {
      const session = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
      const wrong = await session
        .post('/api/v1/auth/change-password', {
          currentPassword: 'nope-nope-nope',
          newPassword: 'a-brand-new-Passphrase-7',
        })
        .expect(422);
      expect(wrong.body.errors).toEqual([{ field: 'currentPassword', message: expect.any(String) }]);
      for (const newPassword of ['short', 'x'.repeat(129), 'password123', 'Qwertyuiop']) {
        const res = await session
          .post('/api/v1/auth/change-password', { currentPassword: TEST_PASSWORD, newPassword })
          .expect(422);
        expect(res.body.errors[0].field).toBe('newPassword');
      }
    });
  });
});

describe('auth: per-IP sign-in throttle', () => {
  let api: TestApi;
  let cafe: SeededRestaurant;

  beforeAll(async () => {
    api = await startTestApi({ LOGIN_IP_MAX_FAILURES: '3', TRUST_PROXY: '1' });
    cafe = await seedRestaurant(api.app);
  });

  afterAll(async () => {
    await api.close();
  });

  it('answers 429 with Retry-After once one IP has failed too often; other IPs are unaffected', async () => {
    const ip = `203.0.113.${Math.floor(Math.random() * 200) + 1}`;
    const attempt = (email: string, password: string, from = ip) =>
      request(api.server).post('/api/v1/auth/login').set('X-Forwarded-For', from).send({ email, password });
    for (let i = 0; i < 3; i++) expect((await attempt(uniqueEmail('ghost'), 'wrong-password-1')).status).toBe(401);
    const limited = await attempt(cafe.owner.email, TEST_PASSWORD);
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(
      (await attempt(cafe.owner.email, TEST_PASSWORD, `198.51.100.${Math.floor(Math.random() * 200) + 1}`)).status,
    ).toBe(200);
  });

  it('sends rate-limit headers on throttled routes', async () => {
    const res = await request(api.server)
      .post('/api/v1/auth/login')
      .send({ email: 'x@example.test', password: 'whatever-1' });
    expect(res.headers['x-ratelimit-limit']).toBeDefined();
    expect(res.headers['x-ratelimit-remaining']).toBeDefined();
  });
});
