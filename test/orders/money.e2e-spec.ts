import { idempotencyKey, place } from '../factories/shop.factory';
import { seedRestaurant, TEST_PASSWORD } from '../factories/restaurant.factory';
import { BrowserSession } from '../support/session';
import { startTestApi, type TestApi } from '../support/test-app';

const MONEY_MAX = 1_000_000_000_000;

interface Priced {
  owner: BrowserSession;
  itemId: string;
  optionIds: string[];
}

/** Amounts past 32 bits are placed, stored and read back exactly; anything past 10^12 or below 0 is a 422. */
describe('orders: 64-bit money and its range', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });

  afterAll(async () => {
    await api.close();
  });

  /** A COP restaurant with one item at `price`, and a required group whose options have `deltas`. */
  async function menuWith(price: number, taxRateBps: number, deltas: number[] = [0]): Promise<Priced> {
    const cafe = await seedRestaurant(api.app, { currency: 'COP', timezone: 'America/Bogota' });
    const owner = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
    const categoryId = (await owner.post('/api/v1/menu/categories', { name: 'All' }).expect(201)).body.id as string;
    const item = await owner
      .post('/api/v1/menu/items', {
        categoryId,
        name: 'Banquete',
        price,
        taxRateBps,
        modifierGroups: [
          {
            name: 'Option',
            minSelect: 1,
            maxSelect: 1,
            options: deltas.map((priceDelta, i) => ({ name: `Option ${i}`, priceDelta })),
          },
        ],
      })
      .expect(201);
    return {
      owner,
      itemId: item.body.id as string,
      optionIds: (item.body.modifierGroups[0].options as { id: string }[]).map((o) => o.id),
    };
  }

  const lines = (menu: Priced, count: number, quantity: number, option = 0) =>
    Array.from({ length: count }, () => ({
      menuItemId: menu.itemId,
      quantity,
      modifierOptionIds: [menu.optionIds[option]],
    }));

  it('places 30 lines × 99 of a 100,000,000 COP item (201) and reads the totals back exactly', async () => {
    const menu = await menuWith(100_000_000, 1900);
    const key = idempotencyKey();
    const body = { type: 'takeaway', items: lines(menu, 30, 99) };
    const placed = await place(menu.owner, body, key).expect(201);
    // Each line 9,900,000,000 (tax 19% = 1,881,000,000); 30 of them.
    expect(placed.body).toMatchObject({
      subtotal: 297_000_000_000,
      tax: 56_430_000_000,
      discount: 0,
      tip: 0,
      total: 353_430_000_000,
    });
    expect(placed.body.items).toHaveLength(30);
    for (const line of placed.body.items)
      expect(line).toMatchObject({ unitPrice: 100_000_000, lineTotal: 9_900_000_000 });

    expect((await menu.owner.get(`/api/v1/orders/${placed.body.id}`).expect(200)).body).toEqual(placed.body);
    const list = await menu.owner.get('/api/v1/orders').expect(200);
    expect(list.body.items).toEqual([placed.body]);
    const replay = await place(menu.owner, body, key).expect(200);
    expect(replay.body).toEqual(placed.body);

    // Paying with a tip keeps the exact total.
    for (const status of ['preparing', 'ready']) {
      await menu.owner.post(`/api/v1/orders/${placed.body.id}/status`, { status }).expect(200);
    }
    const paid = await menu.owner
      .post(`/api/v1/orders/${placed.body.id}/status`, { status: 'paid', paymentMethod: 'card', tip: 50_000_000_000 })
      .expect(200);
    expect(paid.body).toMatchObject({ tip: 50_000_000_000, total: 403_430_000_000 });
    expect((await menu.owner.get(`/api/v1/orders/${placed.body.id}`).expect(200)).body.total).toBe(403_430_000_000);
  });

  it('refuses a line that a negative modifier makes negative (422 naming the line’s options), and creates nothing', async () => {
    const menu = await menuWith(1_000, 0, [0, -1_001]);
    const body = { type: 'takeaway', items: [...lines(menu, 3, 1), ...lines(menu, 1, 2, 1)] };
    const res = await place(menu.owner, body).expect(422);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['items[3].modifierOptionIds']);
    expect((await menu.owner.get('/api/v1/orders').expect(200)).body.meta.total).toBe(0);
  });

  it('refuses line and order totals above 10^12 (422), and accepts exactly 10^12', async () => {
    const menu = await menuWith(MONEY_MAX / 2, 0);
    const line = await place(menu.owner, { type: 'takeaway', items: lines(menu, 1, 3) }).expect(422);
    expect(line.body.errors.map((e: { field: string }) => e.field)).toEqual(['items[0]']);
    const order = await place(menu.owner, { type: 'takeaway', items: lines(menu, 3, 1) }).expect(422);
    expect(order.body.errors.map((e: { field: string }) => e.field)).toEqual(['items']);
    const atMax = await place(menu.owner, { type: 'takeaway', items: lines(menu, 2, 1) }).expect(201);
    expect(atMax.body).toMatchObject({ subtotal: MONEY_MAX, total: MONEY_MAX });

    const taxed = await menuWith(MONEY_MAX, 1);
    const withTax = await place(taxed.owner, { type: 'takeaway', items: lines(taxed, 1, 1) }).expect(422);
    expect(withTax.body.errors.map((e: { field: string }) => e.field)).toEqual(['items']);
  });

  it('refuses a tip that takes the total past 10^12 (422 naming tip), and keeps the order unpaid', async () => {
    const menu = await menuWith(MONEY_MAX - 10, 0);
    const placed = await place(menu.owner, { type: 'takeaway', items: lines(menu, 1, 1) }).expect(201);
    for (const status of ['preparing', 'ready']) {
      await menu.owner.post(`/api/v1/orders/${placed.body.id}/status`, { status }).expect(200);
    }
    for (const tip of [11, MONEY_MAX + 1, 1e20, 2.5, -1]) {
      const res = await menu.owner.post(`/api/v1/orders/${placed.body.id}/status`, {
        status: 'paid',
        paymentMethod: 'cash',
        tip,
      });
      expect({ tip, status: res.status }).toEqual({ tip, status: 422 });
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['tip']);
    }
    const paid = await menu.owner
      .post(`/api/v1/orders/${placed.body.id}/status`, { status: 'paid', paymentMethod: 'cash', tip: 10 })
      .expect(200);
    expect(paid.body).toMatchObject({ status: 'paid', tip: 10, total: MONEY_MAX });
  });
});
