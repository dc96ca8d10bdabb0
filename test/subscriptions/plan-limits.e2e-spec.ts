import { DataSource } from 'typeorm';
import { businessDate } from '../../libs/orders/src/domain/pricing';
import { category, item } from '../factories/menu.factory';
import { seedRestaurant, TEST_PASSWORD, uniqueEmail, type SeededRestaurant } from '../factories/restaurant.factory';
import { place, seedShop, takeaway } from '../factories/shop.factory';
import { BrowserSession } from '../support/session';
import { startTestApi, type TestApi } from '../support/test-app';

/** The free plan as seeded: 3 users, 50 menu items, 500 orders a month, 1 API key. */
const FREE = { users: 3, menuItems: 50, ordersPerMonth: 500, apiKeys: 1 };

type Res = { status: number; body: { code?: string; detail?: string } };

/** Exactly `fits` of the responses are 201; every other one is 403 PLAN_LIMIT_REACHED naming the plan and limit. */
function expectBoundary(results: Res[], fits: number, limitText: string): void {
  expect(results.filter((res) => res.status === 201)).toHaveLength(fits);
  for (const res of results.filter((r) => r.status !== 201)) {
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('PLAN_LIMIT_REACHED');
    expect(res.body.detail).toContain('free');
    expect(res.body.detail).toContain(limitText);
  }
}

const tenAtOnce = <T>(make: (i: number) => Promise<T>): Promise<T[]> =>
  Promise.all(Array.from({ length: 10 }, (_, i) => make(i)));

describe('plan limits: exact at the boundary, also with 10 concurrent creates', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });

  afterAll(async () => {
    await api.close();
  });

  async function freeCafe(): Promise<{ cafe: SeededRestaurant; owner: BrowserSession }> {
    const cafe = await seedRestaurant(api.app, { planCode: 'free' });
    return { cafe, owner: await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD) };
  }

  /**
   * Orders already placed on a local date: the daily counters are the count
   * (numbers are gap-free and orders are never deleted), so a counter row stands for them.
   */
  const ordersPlacedOn = (restaurantId: string, date: string, count: number): Promise<unknown> =>
    api.app
      .get(DataSource)
      .query('INSERT INTO order_counters (restaurant_id, business_date, last_number) VALUES (?, ?, ?)', [
        restaurantId,
        date,
        count,
      ]);

  const newUser = (owner: BrowserSession, i: number) =>
    owner.post('/api/v1/users', {
      email: uniqueEmail(`u${i}`),
      name: `User ${i}`,
      role: 'staff',
      password: TEST_PASSWORD,
    });

  it('users: the owner counts; 2 more fit, the rest are refused; a deactivation frees a slot, a reactivation needs one', async () => {
    const { owner } = await freeCafe();
    const results = await tenAtOnce((i) => newUser(owner, i));
    expectBoundary(results, FREE.users - 1, 'maxUsers: 3');
    const created = results.filter((res) => res.status === 201).map((res) => res.body as { id: string });
    expect((await owner.get('/api/v1/users?isActive=true').expect(200)).body.meta.total).toBe(FREE.users);

    await owner.delete(`/api/v1/users/${created[0].id}`).expect(204);
    const replacement = await newUser(owner, 99).expect(201);
    const reactivated = await owner.patch(`/api/v1/users/${created[0].id}`, { isActive: true });
    expect(reactivated.status).toBe(403);
    expect(reactivated.body.code).toBe('PLAN_LIMIT_REACHED');

    await owner.delete(`/api/v1/users/${(replacement.body as { id: string }).id}`).expect(204);
    await owner.patch(`/api/v1/users/${created[0].id}`, { isActive: true }).expect(200);
  });

  it('menu items: live items count; the 50th is created, the 51st refused; deleting one frees a slot', async () => {
    const { owner } = await freeCafe();
    const categoryId = await category(owner);
    for (let i = 0; i < FREE.menuItems - 5; i++) await item(owner, categoryId);
    const results = await tenAtOnce((i) =>
      owner.post('/api/v1/menu/items', { categoryId, name: `Burst ${i}`, price: 100 }),
    );
    expectBoundary(results, 5, 'maxMenuItems: 50');
    const list = await owner.get('/api/v1/menu/items?limit=1').expect(200);
    expect(list.body.meta.total).toBe(FREE.menuItems);

    const first = (results.find((res) => res.status === 201)?.body ?? {}) as { id: string };
    await owner.delete(`/api/v1/menu/items/${first.id}`).expect(204);
    await item(owner, categoryId);
  });

  it('API keys: one key; 9 of 10 concurrent refused; a revoked key frees the slot', async () => {
    const { owner } = await freeCafe();
    const results = await tenAtOnce((i) => owner.post('/api/v1/api-keys', { name: `k${i}`, scopes: ['menu:read'] }));
    expectBoundary(results, FREE.apiKeys, 'maxApiKeys: 1');
    const key = results.find((res) => res.status === 201)?.body as { id: string };
    await owner.delete(`/api/v1/api-keys/${key.id}`).expect(204);
    await owner.post('/api/v1/api-keys', { name: 'again', scopes: ['menu:read'] }).expect(201);
  });

  it("orders: counted per calendar month in the restaurant's time zone, from the daily counters", async () => {
    const shop = await seedShop(api.app, api.server, { planCode: 'free', timezone: 'Asia/Tokyo' });
    // 495 orders placed earlier today.
    const today = businessDate(new Date(), 'Asia/Tokyo');
    await ordersPlacedOn(shop.cafe.restaurant.id, today, FREE.ordersPerMonth - 5);
    const results = await tenAtOnce(() => place(shop.staff, takeaway(shop)));
    expectBoundary(results, 5, 'maxOrdersPerMonth: 500');
    const numbers = results.filter((res) => res.status === 201).map((res) => (res.body as { number: number }).number);
    expect(numbers.sort((a, b) => a - b)).toEqual([496, 497, 498, 499, 500]);
    const current = await shop.owner.get('/api/v1/subscriptions/current').expect(200);
    expect(current.body.usage.ordersThisMonth).toBe(FREE.ordersPerMonth);

    // Another month is another budget: last month's orders do not count.
    const lastMonth = new Date(`${today.slice(0, 7)}-01T12:00:00Z`);
    lastMonth.setUTCMonth(lastMonth.getUTCMonth() - 1);
    const other = await seedShop(api.app, api.server, { planCode: 'free', timezone: 'Asia/Tokyo' });
    await ordersPlacedOn(other.cafe.restaurant.id, lastMonth.toISOString().slice(0, 10), FREE.ordersPerMonth);
    await place(other.staff, takeaway(other)).expect(201);
  });

  it('replays an order over the limit as it was first answered, not as a new placement', async () => {
    const shop = await seedShop(api.app, api.server, { planCode: 'free' });
    const today = businessDate(new Date(), shop.cafe.restaurant.timezone);
    await ordersPlacedOn(shop.cafe.restaurant.id, today, FREE.ordersPerMonth - 1);
    const key = 'limit-replay-key-1';
    const first = await place(shop.staff, takeaway(shop), key).expect(201);
    const replay = await place(shop.staff, takeaway(shop), key);
    expect([200, 201]).toContain(replay.status);
    expect(replay.body.id).toBe(first.body.id);
    const over = await place(shop.staff, takeaway(shop));
    expect(over.status).toBe(403);
    expect(over.body.code).toBe('PLAN_LIMIT_REACHED');
  });

  it('enterprise has no limits', async () => {
    const cafe = await seedRestaurant(api.app, { planCode: 'enterprise' });
    const owner = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
    const results = await tenAtOnce((i) => owner.post('/api/v1/api-keys', { name: `k${i}`, scopes: ['menu:read'] }));
    expect(results.every((res) => res.status === 201)).toBe(true);
  });
});
