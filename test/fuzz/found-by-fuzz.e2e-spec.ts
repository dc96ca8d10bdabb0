import { TEST_PASSWORD, uniqueEmail } from '../factories/restaurant.factory';
import { place, seedShop, type Shop } from '../factories/shop.factory';
import { startTestApi, type TestApi } from '../support/test-app';

/** Inputs the fuzz suite (no-5xx.e2e-spec.ts) found answering 500, kept as plain regression tests. */
describe('inputs the fuzz suite found', () => {
  let api: TestApi;
  let shop: Shop;
  let victimId: string;

  beforeAll(async () => {
    api = await startTestApi();
    shop = await seedShop(api.app, api.server);
    const victim = await shop.owner
      .post('/api/v1/users', { email: uniqueEmail('victim'), name: 'Vic', role: 'staff', password: TEST_PASSWORD })
      .expect(201);
    victimId = victim.body.id as string;
  });

  afterAll(async () => {
    await api.close();
  });

  it.each([{ label: null }, { seats: null }, { isActive: null }])(
    'PATCH /tables/:id with %j is a 422 naming the field, not a NOT NULL violation',
    async (body) => {
      const res = await shop.owner.patch(`/api/v1/tables/${shop.tableId}`, body).expect(422);
      expect(new Set((res.body.errors as { field: string }[]).map((e) => e.field))).toEqual(new Set(Object.keys(body)));
      const table = await shop.owner.get(`/api/v1/tables/${shop.tableId}`).expect(200);
      expect(table.body).toMatchObject({ label: 'T1', seats: 2, isActive: true });
    },
  );

  it.each([{ name: null }, { role: null }, { isActive: null }])(
    'PATCH /users/:id with %j is a 422 naming the field, not a NOT NULL violation',
    async (body) => {
      const res = await shop.owner.patch(`/api/v1/users/${victimId}`, body).expect(422);
      expect(new Set((res.body.errors as { field: string }[]).map((e) => e.field))).toEqual(new Set(Object.keys(body)));
      const user = await shop.owner.get(`/api/v1/users/${victimId}`).expect(200);
      expect(user.body).toMatchObject({ name: 'Vic', role: 'staff', isActive: true });
    },
  );

  it.each([{ name: null }, { description: null }, { position: null }, { isActive: null }])(
    'PATCH /menu/categories/:id with %j is a 422 naming the field, not a NOT NULL violation',
    async (body) => {
      const name = `Pastry ${Object.keys(body)[0]}`;
      const created = await shop.owner.post('/api/v1/menu/categories', { name, description: 'Baked' }).expect(201);
      const id = created.body.id as string;
      const res = await shop.owner.patch(`/api/v1/menu/categories/${id}`, body).expect(422);
      expect(new Set((res.body.errors as { field: string }[]).map((e) => e.field))).toEqual(new Set(Object.keys(body)));
      const category = await shop.owner.get(`/api/v1/menu/categories/${id}`).expect(200);
      expect(category.body).toMatchObject({ name, description: 'Baked', isActive: true });
    },
  );

  it.each([{ description: null }, { taxRateBps: null }, { isAvailable: null }, { modifierGroups: null }])(
    'POST /menu/items with %j is a 422 naming the field',
    async (body) => {
      const categoryId = (await shop.owner.get('/api/v1/menu/categories').expect(200)).body.items[0].id as string;
      const res = await shop.owner
        .post('/api/v1/menu/items', { categoryId, name: 'Scone', price: 300, ...body })
        .expect(422);
      expect(new Set((res.body.errors as { field: string }[]).map((e) => e.field))).toEqual(new Set(Object.keys(body)));
    },
  );

  it('an item SKU set to null is cleared', async () => {
    const categoryId = (await shop.owner.get('/api/v1/menu/categories').expect(200)).body.items[0].id as string;
    const item = await shop.owner
      .post('/api/v1/menu/items', { categoryId, name: 'Muffin', price: 300, sku: 'MUF-1' })
      .expect(201);
    const res = await shop.owner
      .patch(`/api/v1/menu/items/${item.body.id as string}`, { sku: null, version: item.body.version as number })
      .expect(200);
    expect(res.body.sku).toBeNull();
  });

  it('a PATCH leaving a field out still leaves it unchanged', async () => {
    await shop.owner.patch(`/api/v1/tables/${shop.tableId}`, { seats: 4 }).expect(200);
    const table = await shop.owner.get(`/api/v1/tables/${shop.tableId}`).expect(200);
    expect(table.body).toMatchObject({ label: 'T1', seats: 4, isActive: true });
  });

  it('POST /orders with a nested array as a line is a 422 naming items, and places nothing', async () => {
    const before = (await shop.owner.get('/api/v1/orders').expect(200)).body.meta.total as number;
    const body = { type: 'takeaway', items: [[], { menuItemId: shop.cookie.id, quantity: 1 }] };
    const res = await place(shop.owner, body).expect(422);
    expect((res.body.errors as { field: string }[]).map((e) => e.field)).toContain('items');
    expect((await shop.owner.get('/api/v1/orders').expect(200)).body.meta.total).toBe(before);
  });

  it('POST /menu/items with a nested array as a modifier group is a 422', async () => {
    const categoryId = (await shop.owner.get('/api/v1/menu/categories').expect(200)).body.items[0].id as string;
    await shop.owner
      .post('/api/v1/menu/items', { categoryId, name: 'Nested', price: 100, modifierGroups: [[]] })
      .expect(422);
  });
});
