import { isDeepStrictEqual } from 'node:util';
import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import { seedRestaurant, TEST_PASSWORD, uniqueEmail, uniqueSlug } from '../factories/restaurant.factory';
import { idempotencyKey } from '../factories/shop.factory';
import { FULL_MODE, SYSADMIN } from '../support/env';
import { BrowserSession } from '../support/session';
import { startTestApi, type TestApi } from '../support/test-app';

interface Stats {
  restaurants: number;
  activeRestaurants: number;
  users: number;
  ordersToday: number;
  mrr: number;
}

const NOTHING: Stats = { restaurants: 0, activeRestaurants: 0, users: 0, ordersToday: 0, mrr: 0 };

/** A restaurant in `timeZone` with one item on its menu and its owner signed in. */
async function shopIn(app: INestApplication, server: Server, timeZone: string) {
  const cafe = await seedRestaurant(app, { timezone: timeZone });
  const owner = await BrowserSession.login(server, cafe.owner.email, TEST_PASSWORD);
  const categoryId = (await owner.post('/api/v1/menu/categories', { name: 'All' }).expect(201)).body.id as string;
  const itemId = (await owner.post('/api/v1/menu/items', { categoryId, name: 'Cookie', price: 250 }).expect(201)).body
    .id as string;
  const placeOrder = async () => {
    await owner
      .write('post', '/api/v1/orders')
      .set('Idempotency-Key', idempotencyKey())
      .send({ type: 'takeaway', items: [{ menuItemId: itemId, quantity: 1 }] })
      .expect(201);
  };
  return { cafe, owner, placeOrder };
}

describe('sysadmin console: GET /stats', () => {
  let api: TestApi;
  let sysadmin: BrowserSession;
  let proPrice: number;

  const stats = async (): Promise<Stats> => (await sysadmin.get('/api/v1/sysadmin/stats').expect(200)).body as Stats;

  /**
   * Asserts the exact change `act` makes to the stats. In full mode other
   * suites write to the same database at the same time, so a measurement in
   * which someone else's change landed between the two reads is thrown away
   * and `act` runs again (each run makes its own new rows); in embedded mode
   * the database is this suite's alone and the first measurement must match.
   */
  async function expectDelta(act: () => Promise<void>, expected: Partial<Stats>): Promise<void> {
    const want = { ...NOTHING, ...expected };
    const seen: string[] = [];
    for (let attempt = 0; attempt < (FULL_MODE ? 10 : 1); attempt++) {
      const before = await stats();
      await act();
      const after = await stats();
      const delta = Object.fromEntries(
        (Object.keys(NOTHING) as (keyof Stats)[]).map((key) => [key, after[key] - before[key]]),
      );
      if (isDeepStrictEqual(delta, want)) return;
      seen.push(JSON.stringify(delta));
    }
    throw new Error(`expected the stats to move by ${JSON.stringify(want)}; measured ${seen.join(', ')}`);
  }

  beforeAll(async () => {
    api = await startTestApi();
    sysadmin = await BrowserSession.login(api.server, SYSADMIN.email, SYSADMIN.password);
    const plans = (await sysadmin.get('/api/v1/subscriptions/plans').expect(200)).body.items as {
      code: string;
      priceMonthly: number;
    }[];
    proPrice = plans.find((plan) => plan.code === 'pro')?.priceMonthly ?? NaN;
  });

  afterAll(async () => {
    await api.close();
  });

  it('answers the five numbers as non-negative integers', async () => {
    const now = await stats();
    expect(Object.keys(now).sort()).toEqual(Object.keys(NOTHING).sort());
    for (const value of Object.values(now)) expect(Number.isSafeInteger(value) && value >= 0).toBe(true);
    expect(now.activeRestaurants).toBeLessThanOrEqual(now.restaurants);
  });

  it('counts a new restaurant and its owner; a trial adds nothing to MRR', async () => {
    await expectDelta(
      async () => {
        await sysadmin
          .post('/api/v1/sysadmin/restaurants', {
            name: 'Stats Café',
            slug: uniqueSlug('stats'),
            currency: 'EUR',
            timezone: 'Europe/Lisbon',
            planCode: 'pro',
            owner: { email: uniqueEmail('owner'), name: 'Olga', password: TEST_PASSWORD },
          })
          .expect(201);
      },
      { restaurants: 1, activeRestaurants: 1, users: 1 },
    );
  });

  it('adds the plan price to MRR when a subscription becomes active', async () => {
    expect(proPrice).toBeGreaterThan(0);
    await expectDelta(
      async () => {
        const cafe = await seedRestaurant(api.app, { planCode: 'free' });
        await sysadmin.post(`/api/v1/sysadmin/restaurants/${cafe.restaurant.id}/plan`, { planCode: 'pro' }).expect(200);
      },
      { restaurants: 1, activeRestaurants: 1, users: 1, mrr: proPrice },
    );
  });

  it('does not count a suspended restaurant as active', async () => {
    await expectDelta(
      async () => {
        const cafe = await seedRestaurant(api.app);
        await sysadmin.patch(`/api/v1/sysadmin/restaurants/${cafe.restaurant.id}`, { status: 'suspended' }).expect(200);
      },
      { restaurants: 1, users: 1 },
    );
  });

  it('counts a new user of a restaurant', async () => {
    const cafe = await seedRestaurant(api.app);
    const owner = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
    await expectDelta(
      async () => {
        await owner
          .post('/api/v1/users', { email: uniqueEmail('staff'), name: 'Sam', role: 'staff', password: TEST_PASSWORD })
          .expect(201);
      },
      { users: 1 },
    );
  });

  it("counts orders placed today, in each restaurant's own time zone (UTC+14 and UTC−11 included)", async () => {
    const shops = [
      await shopIn(api.app, api.server, 'America/New_York'),
      await shopIn(api.app, api.server, 'Pacific/Kiritimati'),
      await shopIn(api.app, api.server, 'Pacific/Pago_Pago'),
    ];
    await expectDelta(
      async () => {
        for (const shop of shops) await shop.placeOrder();
        await shops[0].placeOrder();
      },
      { ordersToday: 4 },
    );
  });
});
