import request from 'supertest';
import { DataSource } from 'typeorm';
import { RestaurantEntity } from '@coffee/tenancy';
import { seedRestaurant, TEST_PASSWORD, uniqueEmail, uniqueSlug } from '../factories/restaurant.factory';
import { SYSADMIN } from '../support/env';
import { BrowserSession } from '../support/session';
import { startTestApi, type TestApi } from '../support/test-app';

describe('sysadmin: creating restaurants', () => {
  let api: TestApi;
  let sysadmin: BrowserSession;

  const body = (overrides: Record<string, unknown> = {}) => ({
    name: 'Café Central',
    slug: uniqueSlug('central'),
    currency: 'COP',
    timezone: 'America/Bogota',
    planCode: 'pro',
    owner: { email: uniqueEmail('owner'), name: 'Olga Owner', password: TEST_PASSWORD },
    ...overrides,
  });

  beforeAll(async () => {
    api = await startTestApi();
    sysadmin = await BrowserSession.login(api.server, SYSADMIN.email, SYSADMIN.password);
  });

  afterAll(async () => {
    await api.close();
  });

  it('creates the restaurant and its owner (201); the owner can sign in', async () => {
    const input = body();
    const res = await sysadmin.post('/api/v1/sysadmin/restaurants', input).expect(201);
    expect(res.body.restaurant).toEqual({
      id: expect.any(String),
      name: 'Café Central',
      slug: input.slug,
      currency: 'COP',
      timezone: 'America/Bogota',
      status: 'active',
      planCode: 'pro',
      createdAt: expect.any(String),
    });
    expect(res.body.owner).toMatchObject({
      email: input.owner.email,
      name: 'Olga Owner',
      role: 'owner',
      restaurantId: res.body.restaurant.id,
      isActive: true,
    });
    expect(res.body.owner).not.toHaveProperty('password');
    const owner = await BrowserSession.login(api.server, input.owner.email, TEST_PASSWORD);
    await owner.get('/api/v1/users').expect(200);
  });

  it('answers 409 for a taken slug or owner email, and leaves nothing half-written', async () => {
    const first = body();
    await sysadmin.post('/api/v1/sysadmin/restaurants', first).expect(201);
    const slugClash = await sysadmin.post('/api/v1/sysadmin/restaurants', body({ slug: first.slug })).expect(409);
    expect(slugClash.body.code).toBe('CONFLICT');

    const orphanSlug = uniqueSlug('orphan');
    const emailClash = await sysadmin
      .post('/api/v1/sysadmin/restaurants', body({ slug: orphanSlug, owner: { ...first.owner, name: 'Someone else' } }))
      .expect(409);
    expect(emailClash.body.code).toBe('CONFLICT');
    // The restaurant insert was rolled back with the owner.
    expect(await api.app.get(DataSource).getRepository(RestaurantEntity).countBy({ slug: orphanSlug })).toBe(0);
    await sysadmin.post('/api/v1/sysadmin/restaurants', body({ slug: orphanSlug })).expect(201);
  });

  it('validates slug, currency, timezone, plan and owner (422)', async () => {
    const invalid = [
      body({ slug: 'ab' }),
      body({ slug: 'Has Spaces' }),
      body({ slug: 'x'.repeat(64) }),
      body({ currency: 'usd' }),
      body({ currency: 'XYZ' }),
      body({ timezone: 'Mars/Olympus' }),
      body({ planCode: 'platinum' }),
      body({ owner: { email: 'bad', name: 'x', password: TEST_PASSWORD } }),
      body({ owner: { email: uniqueEmail('o'), name: 'x', password: 'short' } }),
      body({ owner: undefined }),
      body({ status: 'suspended' }),
      body({ id: '00000000-0000-0000-0000-000000000000' }),
    ];
    for (const input of invalid) {
      const res = await sysadmin.post('/api/v1/sysadmin/restaurants', input);
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
    const nested = await sysadmin
      .post('/api/v1/sysadmin/restaurants', body({ owner: { email: 'bad', name: '', password: 'x' } }))
      .expect(422);
    expect(nested.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'owner.email',
      'owner.name',
      'owner.password',
    ]);
  });

  it('is for sysadmins only', async () => {
    const cafe = await seedRestaurant(api.app);
    const owner = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
    const res = await owner.post('/api/v1/sysadmin/restaurants', body()).expect(403);
    expect(res.body.code).toBe('FORBIDDEN');
    await request(api.server).post('/api/v1/sysadmin/restaurants').send(body()).expect(401);
  });
});
