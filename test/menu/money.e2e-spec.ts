import { seedRestaurant, TEST_PASSWORD } from '../factories/restaurant.factory';
import { BrowserSession } from '../support/session';
import { startTestApi, type TestApi } from '../support/test-app';

const MONEY_MAX = 1_000_000_000_000;

/** Prices and modifier deltas are whole minor units from 0 (−10^12 for deltas) to 10^12, stored exactly. */
describe('menu: money ranges', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });

  afterAll(async () => {
    await api.close();
  });

  async function owner(): Promise<{ owner: BrowserSession; categoryId: string }> {
    const cafe = await seedRestaurant(api.app, { currency: 'COP', timezone: 'America/Bogota' });
    const session = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
    const categoryId = (await session.post('/api/v1/menu/categories', { name: 'All' }).expect(201)).body.id as string;
    return { owner: session, categoryId };
  }

  it('stores and reads back the largest price and deltas exactly', async () => {
    const { owner: session, categoryId } = await owner();
    const created = await session
      .post('/api/v1/menu/items', {
        categoryId,
        name: 'Gold',
        price: MONEY_MAX,
        modifierGroups: [
          {
            name: 'Discount',
            minSelect: 0,
            maxSelect: 1,
            options: [
              { name: 'All off', priceDelta: -MONEY_MAX },
              { name: 'Double', priceDelta: MONEY_MAX },
            ],
          },
        ],
      })
      .expect(201);
    expect(created.body.price).toBe(MONEY_MAX);
    const read = await session.get(`/api/v1/menu/items/${created.body.id}`).expect(200);
    expect(read.body.price).toBe(MONEY_MAX);
    expect(read.body.modifierGroups[0].options.map((o: { priceDelta: number }) => o.priceDelta)).toEqual([
      -MONEY_MAX,
      MONEY_MAX,
    ]);
    const list = await session.get('/api/v1/menu/items').expect(200);
    expect(list.body.items[0].price).toBe(MONEY_MAX);
    const patched = await session
      .patch(`/api/v1/menu/items/${created.body.id}`, { price: MONEY_MAX - 1, version: read.body.version })
      .expect(200);
    expect(patched.body.price).toBe(MONEY_MAX - 1);
  });

  it('refuses prices and deltas outside the range, fractions and huge numbers with 422 naming the field', async () => {
    const { owner: session, categoryId } = await owner();
    const option = (priceDelta: unknown) => ({
      modifierGroups: [{ name: 'Milk', minSelect: 0, maxSelect: 1, options: [{ name: 'Oat', priceDelta }] }],
    });
    const cases: [Record<string, unknown>, string][] = [
      [{ price: MONEY_MAX + 1 }, 'price'],
      [{ price: 1e20 }, 'price'],
      [{ price: Number.MAX_SAFE_INTEGER + 2 }, 'price'],
      [{ price: 100.5 }, 'price'],
      [option(MONEY_MAX + 1), 'modifierGroups[0].options[0].priceDelta'],
      [option(-MONEY_MAX - 1), 'modifierGroups[0].options[0].priceDelta'],
      [option(1e20), 'modifierGroups[0].options[0].priceDelta'],
      [option(-0.5), 'modifierGroups[0].options[0].priceDelta'],
    ];
    for (const [override, field] of cases) {
      const res = await session.post('/api/v1/menu/items', { categoryId, name: 'Latte', price: 450, ...override });
      expect({ override, status: res.status }).toEqual({ override, status: 422 });
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const item = await session.post('/api/v1/menu/items', { categoryId, name: 'Latte', price: 450 }).expect(201);
    const res = await session.patch(`/api/v1/menu/items/${item.body.id}`, { price: MONEY_MAX + 1, version: 1 });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['price']);
    expect((await session.get('/api/v1/menu/items')).body.meta.total).toBe(1);
  });
});
