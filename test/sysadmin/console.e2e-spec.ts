import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { seedRestaurant, TEST_PASSWORD, uniqueEmail, uniqueSlug } from '../factories/restaurant.factory';
import { SYSADMIN } from '../support/env';
import { eventually } from '../support/processes';
import { bearer, BrowserSession } from '../support/session';
import { startTestApi, type TestApi } from '../support/test-app';

interface AdminRestaurant {
  id: string;
  name: string;
  slug: string;
  status: string;
  planCode: string;
  subscriptionStatus: string;
  createdAt: string;
}

describe('sysadmin console: restaurants', () => {
  let api: TestApi;
  let sysadmin: BrowserSession;

  /** Creates a restaurant through the console; returns it as the creation answered. */
  const create = async (name: string, planCode = 'pro', slug = uniqueSlug()) =>
    (
      await sysadmin
        .post('/api/v1/sysadmin/restaurants', {
          name,
          slug,
          currency: 'USD',
          timezone: 'Europe/Madrid',
          planCode,
          owner: { email: uniqueEmail('owner'), name: 'Olga Owner', password: TEST_PASSWORD },
        })
        .expect(201)
    ).body.restaurant as AdminRestaurant;

  const list = (query: string) => sysadmin.get(`/api/v1/sysadmin/restaurants?${query}`);

  beforeAll(async () => {
    api = await startTestApi();
    sysadmin = await BrowserSession.login(api.server, SYSADMIN.email, SYSADMIN.password);
  });

  afterAll(async () => {
    await api.close();
  });

  describe('GET /restaurants', () => {
    // A word only this test's restaurants carry, so parallel suites never show up in its lists.
    const token = `Zq${randomBytes(4).toString('hex')}`;
    let alpha: AdminRestaurant;
    let bravo: AdminRestaurant;
    let charlie: AdminRestaurant;

    beforeAll(async () => {
      alpha = await create(`Alpha ${token}`, 'free');
      bravo = await create(`Bravo ${token}`, 'pro', `${token.toLowerCase()}-bravo`);
      charlie = await create(`Charlie ${token}`, 'pro');
      await sysadmin.patch(`/api/v1/sysadmin/restaurants/${charlie.id}`, { status: 'suspended' }).expect(200);
    });

    it('lists restaurants with their plan and subscription, newest first, as { items, meta }', async () => {
      const res = await list(`q=${token}`).expect(200);
      expect(res.body.meta).toEqual({ limit: 20, offset: 0, total: 3, hasMore: false, nextCursor: null });
      expect(res.body.items.map((r: AdminRestaurant) => r.id)).toEqual([charlie.id, bravo.id, alpha.id]);
      expect(res.body.items[2]).toEqual({
        id: alpha.id,
        name: `Alpha ${token}`,
        slug: alpha.slug,
        currency: 'USD',
        timezone: 'Europe/Madrid',
        status: 'active',
        planCode: 'free',
        subscriptionStatus: 'trialing',
        createdAt: alpha.createdAt,
        updatedAt: expect.any(String),
      });
    });

    it('matches q on the name case-insensitively or on the slug, with % and _ taken literally', async () => {
      const byName = await list(`q=${encodeURIComponent(`alpha ${token.toUpperCase()}`)}`).expect(200);
      expect(byName.body.items.map((r: AdminRestaurant) => r.id)).toEqual([alpha.id]);
      const bySlug = await list(`q=${token.toLowerCase()}-bravo`).expect(200);
      expect(bySlug.body.items.map((r: AdminRestaurant) => r.id)).toEqual([bravo.id]);
      for (const wildcard of [`Alpha_${token}`, `Alpha%${token}`, `%${token}`]) {
        const res = await list(`q=${encodeURIComponent(wildcard)}`).expect(200);
        expect(res.body.meta.total).toBe(0);
      }
    });

    it('filters by status and by plan', async () => {
      const suspended = await list(`q=${token}&status=suspended`).expect(200);
      expect(suspended.body.items.map((r: AdminRestaurant) => [r.id, r.status])).toEqual([[charlie.id, 'suspended']]);
      const active = await list(`q=${token}&status=active`).expect(200);
      expect(active.body.items.map((r: AdminRestaurant) => r.id)).toEqual([bravo.id, alpha.id]);
      const pro = await list(`q=${token}&planCode=pro`).expect(200);
      expect(pro.body.items.map((r: AdminRestaurant) => r.id)).toEqual([charlie.id, bravo.id]);
      const activePro = await list(`q=${token}&planCode=pro&status=active`).expect(200);
      expect(activePro.body.items.map((r: AdminRestaurant) => r.id)).toEqual([bravo.id]);
      const enterprise = await list(`q=${token}&planCode=enterprise`).expect(200);
      expect(enterprise.body).toEqual({
        items: [],
        meta: { limit: 20, offset: 0, total: 0, hasMore: false, nextCursor: null },
      });
    });

    it('pages with limit and offset, and sorts on the documented fields', async () => {
      const first = await list(`q=${token}&limit=2`).expect(200);
      expect(first.body.items).toHaveLength(2);
      expect(first.body.meta).toMatchObject({ limit: 2, offset: 0, total: 3, hasMore: true });
      const second = await list(`q=${token}&limit=2&offset=2`).expect(200);
      expect(second.body.items.map((r: AdminRestaurant) => r.id)).toEqual([alpha.id]);
      expect(second.body.meta).toMatchObject({ limit: 2, offset: 2, total: 3, hasMore: false });
      const byName = await list(`q=${token}&sort=-name`).expect(200);
      expect(byName.body.items.map((r: AdminRestaurant) => r.id)).toEqual([charlie.id, bravo.id, alpha.id]);
      const oldest = await list(`q=${token}&sort=createdAt`).expect(200);
      expect(oldest.body.items.map((r: AdminRestaurant) => r.id)).toEqual([alpha.id, bravo.id, charlie.id]);
    });

    it('refuses bad or unknown query parameters with 422', async () => {
      for (const query of [
        'status=deleted',
        'planCode=platinum',
        'limit=0',
        'limit=101',
        'offset=-1',
        'offset=10001',
        'sort=planCode',
        'sort=-password',
        'q=',
        `q=${'x'.repeat(101)}`,
        'restaurantId=1',
        'status=active&status=suspended',
      ]) {
        const res = await list(query);
        expect([query, res.status, res.body.code]).toEqual([query, 422, 'VALIDATION_FAILED']);
      }
    });
  });

  describe('GET /restaurants/:id', () => {
    it('answers the restaurant with its subscription and live usage', async () => {
      const cafe = await seedRestaurant(api.app, { planCode: 'pro', timezone: 'Asia/Tokyo' });
      const owner = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
      const categoryId = (await owner.post('/api/v1/menu/categories', { name: 'Coffee' }).expect(201)).body.id;
      await owner.post('/api/v1/menu/items', { categoryId, name: 'Latte', price: 450 }).expect(201);
      await owner.post('/api/v1/menu/items', { categoryId, name: 'Mocha', price: 480 }).expect(201);
      await owner.post('/api/v1/api-keys', { name: 'pos', scopes: ['menu:read'] }).expect(201);

      const res = await sysadmin.get(`/api/v1/sysadmin/restaurants/${cafe.restaurant.id}`).expect(200);
      expect(res.body).toMatchObject({
        id: cafe.restaurant.id,
        name: 'Test Café',
        slug: cafe.restaurant.slug,
        timezone: 'Asia/Tokyo',
        status: 'active',
        planCode: 'pro',
        subscriptionStatus: 'trialing',
        subscription: {
          planCode: 'pro',
          status: 'trialing',
          cancelAtPeriodEnd: false,
          usage: { users: 1, menuItems: 2, ordersThisMonth: 0, apiKeys: 1 },
        },
      });
      // The very answer the owner gets.
      const current = await owner.get('/api/v1/subscriptions/current').expect(200);
      expect(res.body.subscription).toEqual(current.body);
    });

    it('answers 404 for an unknown or malformed id', async () => {
      for (const id of [randomUUID(), 'not-a-uuid', '00000000-0000-0000-0000-00000000000g']) {
        const res = await sysadmin.get(`/api/v1/sysadmin/restaurants/${id}`).expect(404);
        expect(res.body.code).toBe('NOT_FOUND');
      }
    });
  });

  describe('PATCH /restaurants/:id', () => {
    it('renames (trimmed) and answers the restaurant; the public menu shows the new name', async () => {
      const cafe = await seedRestaurant(api.app);
      const menu = `/api/v1/public/restaurants/${cafe.restaurant.slug}/menu`;
      expect((await request(api.server).get(menu).expect(200)).body.restaurant.name).toBe('Test Café');

      const res = await sysadmin
        .patch(`/api/v1/sysadmin/restaurants/${cafe.restaurant.id}`, { name: '  Café Norte  ' })
        .expect(200);
      expect(res.body).toMatchObject({
        id: cafe.restaurant.id,
        name: 'Café Norte',
        status: 'active',
        planCode: 'enterprise',
      });
      expect(Date.parse(res.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(res.body.createdAt));
      const read = await sysadmin.get(`/api/v1/sysadmin/restaurants/${cafe.restaurant.id}`).expect(200);
      expect(read.body.name).toBe('Café Norte');
      // The rename invalidated the cached menu: it shows within the contract's second (ten polls 100 ms apart).
      await eventually(
        async () => ((await request(api.server).get(menu)).body.restaurant?.name === 'Café Norte' ? true : undefined),
        10,
        100,
      );
    });

    it('accepts an empty body or current values as no change', async () => {
      const cafe = await seedRestaurant(api.app);
      const path = `/api/v1/sysadmin/restaurants/${cafe.restaurant.id}`;
      await sysadmin.patch(path, {}).expect(200);
      const res = await sysadmin.patch(path, { name: 'Test Café', status: 'active' }).expect(200);
      expect(res.body).toMatchObject({ name: 'Test Café', status: 'active' });
    });

    it('refuses invalid and unknown fields with 422, naming them, and changes nothing', async () => {
      const cafe = await seedRestaurant(api.app);
      const path = `/api/v1/sysadmin/restaurants/${cafe.restaurant.id}`;
      const cases: [object, string][] = [
        [{ name: '' }, 'name'],
        [{ name: '   ' }, 'name'],
        [{ name: 'x'.repeat(121) }, 'name'],
        [{ name: null }, 'name'],
        [{ name: 42 }, 'name'],
        [{ status: 'deleted' }, 'status'],
        [{ status: null }, 'status'],
        [{ slug: 'new-slug' }, 'slug'],
        [{ planCode: 'free' }, 'planCode'],
        [{ id: randomUUID() }, 'id'],
      ];
      for (const [body, field] of cases) {
        const res = await sysadmin.patch(path, body);
        expect([body, res.status, res.body.code]).toEqual([body, 422, 'VALIDATION_FAILED']);
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      }
      const read = await sysadmin.get(path).expect(200);
      expect(read.body).toMatchObject({ name: 'Test Café', slug: cafe.restaurant.slug, status: 'active' });
    });

    it('answers 404 for an unknown or malformed id, and 403 without the CSRF token', async () => {
      await sysadmin.patch(`/api/v1/sysadmin/restaurants/${randomUUID()}`, { name: 'X' }).expect(404);
      await sysadmin.patch('/api/v1/sysadmin/restaurants/nope', { name: 'X' }).expect(404);
      const cafe = await seedRestaurant(api.app);
      const res = await sysadmin
        .write('patch', `/api/v1/sysadmin/restaurants/${cafe.restaurant.id}`, { csrf: null })
        .send({ name: 'X' })
        .expect(403);
      expect(res.body.code).toBe('CSRF_FAILED');
    });
  });

  describe('POST /restaurants/:id/plan', () => {
    it('changes the plan and answers the subscription as GET /subscriptions/current does', async () => {
      const cafe = await seedRestaurant(api.app, { planCode: 'free' });
      const res = await bearer(api.server, sysadmin.accessToken)
        .post(`/api/v1/sysadmin/restaurants/${cafe.restaurant.id}/plan`, { planCode: 'pro' })
        .expect(200);
      expect(res.body).toMatchObject({ planCode: 'pro', status: 'active', cancelAtPeriodEnd: false });
      const owner = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
      expect((await owner.get('/api/v1/subscriptions/current').expect(200)).body).toEqual(res.body);
      const listed = await sysadmin.get(`/api/v1/sysadmin/restaurants/${cafe.restaurant.id}`).expect(200);
      expect(listed.body).toMatchObject({ planCode: 'pro', subscriptionStatus: 'active' });
    });

    it('refuses a downgrade below current usage with 409, naming the limit, and keeps the plan', async () => {
      const cafe = await seedRestaurant(api.app, { planCode: 'pro' });
      const owner = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
      for (const name of ['pos', 'kiosk'])
        await owner.post('/api/v1/api-keys', { name, scopes: ['menu:read'] }).expect(201);
      const res = await sysadmin
        .post(`/api/v1/sysadmin/restaurants/${cafe.restaurant.id}/plan`, { planCode: 'free' })
        .expect(409);
      expect(res.body.code).toBe('CONFLICT');
      expect(res.body.detail).toMatch(/maxApiKeys/);
      expect((await owner.get('/api/v1/subscriptions/current').expect(200)).body.planCode).toBe('pro');
    });

    it('answers 404 for an unknown restaurant and 422 for a bad plan or extra field', async () => {
      const missing = await sysadmin
        .post(`/api/v1/sysadmin/restaurants/${randomUUID()}/plan`, { planCode: 'pro' })
        .expect(404);
      expect(missing.body.code).toBe('NOT_FOUND');
      const cafe = await seedRestaurant(api.app);
      const path = `/api/v1/sysadmin/restaurants/${cafe.restaurant.id}/plan`;
      for (const body of [{}, { planCode: 'platinum' }, { planCode: 'pro', status: 'active' }, { planCode: null }]) {
        const res = await sysadmin.post(path, body);
        expect([body, res.status]).toEqual([body, 422]);
      }
    });
  });
});
