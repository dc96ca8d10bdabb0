import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { seedRestaurant, TEST_PASSWORD, uniqueEmail, type SeededRestaurant } from '../factories/restaurant.factory';
import { BrowserSession, bearer } from '../support/session';
import { startTestApi, type TestApi } from '../support/test-app';

interface Crew {
  cafe: SeededRestaurant;
  owner: BrowserSession;
  manager: BrowserSession;
  staff: BrowserSession;
}

const MILK = {
  name: 'Milk',
  minSelect: 0,
  maxSelect: 1,
  options: [
    { name: 'Oat', priceDelta: 60 },
    { name: 'Almond', priceDelta: 60, isAvailable: false },
  ],
};
const SIZE = {
  name: 'Size',
  minSelect: 1,
  maxSelect: 1,
  options: [
    { name: 'Small', priceDelta: 0 },
    { name: 'Large', priceDelta: 100 },
  ],
};

describe('menu: categories, items, modifiers, availability, soft delete, optimistic locking', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });

  afterAll(async () => {
    await api.close();
  });

  async function crew(): Promise<Crew> {
    const cafe = await seedRestaurant(api.app);
    const owner = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
    const sessions: Record<string, BrowserSession> = {};
    for (const role of ['manager', 'staff']) {
      const email = uniqueEmail(role);
      await owner.post('/api/v1/users', { email, name: role, role, password: TEST_PASSWORD }).expect(201);
      sessions[role] = await BrowserSession.login(api.server, email, TEST_PASSWORD);
    }
    return { cafe, owner, manager: sessions.manager, staff: sessions.staff };
  }

  async function category(session: BrowserSession, body: Record<string, unknown> = {}): Promise<string> {
    const res = await session
      .post('/api/v1/menu/categories', { name: `Cat ${randomUUID().slice(0, 8)}`, ...body })
      .expect(201);
    return res.body.id as string;
  }

  async function item(session: BrowserSession, categoryId: string, body: Record<string, unknown> = {}) {
    const res = await session
      .post('/api/v1/menu/items', { categoryId, name: `Item ${randomUUID().slice(0, 8)}`, price: 450, ...body })
      .expect(201);
    return res.body as { id: string; version: number; modifierGroups: { id: string; options: { id: string }[] }[] };
  }

  describe('items', () => {
    it('creates an item with modifier groups and answers the contract shape', async () => {
      const { owner } = await crew();
      const categoryId = await category(owner);
      const res = await owner
        .post('/api/v1/menu/items', {
          categoryId,
          name: 'Flat white',
          description: 'Double ristretto',
          price: 450,
          taxRateBps: 1900,
          sku: 'FW-01',
          position: 3,
          modifierGroups: [MILK, SIZE],
        })
        .expect(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        categoryId,
        name: 'Flat white',
        description: 'Double ristretto',
        price: 450,
        taxRateBps: 1900,
        isAvailable: true,
        position: 3,
        sku: 'FW-01',
        version: 1,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        modifierGroups: [
          {
            id: expect.any(String),
            name: 'Milk',
            minSelect: 0,
            maxSelect: 1,
            options: [
              { id: expect.any(String), name: 'Oat', priceDelta: 60, isAvailable: true },
              { id: expect.any(String), name: 'Almond', priceDelta: 60, isAvailable: false },
            ],
          },
          {
            id: expect.any(String),
            name: 'Size',
            minSelect: 1,
            maxSelect: 1,
            options: [
              { id: expect.any(String), name: 'Small', priceDelta: 0, isAvailable: true },
              { id: expect.any(String), name: 'Large', priceDelta: 100, isAvailable: true },
            ],
          },
        ],
      });
      expect((await owner.get(`/api/v1/menu/items/${res.body.id}`).expect(200)).body).toEqual(res.body);
    });

    it('validates prices, taxes, modifiers and the category (422 with field paths)', async () => {
      const { owner } = await crew();
      const categoryId = await category(owner);
      const other = await crew();
      const foreignCategory = await category(other.owner);
      const cases: [Record<string, unknown>, string][] = [
        [{ price: 4.5 }, 'price'],
        [{ price: -1 }, 'price'],
        [{ price: '450' }, 'price'],
        [{ taxRateBps: 10_001 }, 'taxRateBps'],
        [{ name: '' }, 'name'],
        [{ categoryId: randomUUID() }, 'categoryId'],
        [{ categoryId: foreignCategory }, 'categoryId'],
        [{ modifierGroups: [{ ...MILK, minSelect: 2, maxSelect: 1 }] }, 'modifierGroups[0].minSelect'],
        [{ modifierGroups: [SIZE, { ...MILK, maxSelect: 3 }] }, 'modifierGroups[1].maxSelect'],
        [{ modifierGroups: [{ ...MILK, options: [] }] }, 'modifierGroups[0].options'],
        [
          { modifierGroups: [{ ...MILK, options: [{ name: 'Oat', priceDelta: 0.5 }] }] },
          'modifierGroups[0].options[0].priceDelta',
        ],
        [{ restaurantId: randomUUID() }, 'restaurantId'],
        [{ version: 7 }, 'version'],
        [{ id: randomUUID() }, 'id'],
      ];
      for (const [override, field] of cases) {
        const res = await owner.post('/api/v1/menu/items', { categoryId, name: 'Latte', price: 450, ...override });
        expect(res.status).toBe(422);
        expect(res.body.code).toBe('VALIDATION_FAILED');
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      }
      expect((await owner.get('/api/v1/menu/items')).body.meta.total).toBe(0);
    });

    it('answers 409 for a duplicate name or SKU among live items', async () => {
      const { owner } = await crew();
      const categoryId = await category(owner);
      await item(owner, categoryId, { name: 'Mocha', sku: 'MO-1' });
      expect((await owner.post('/api/v1/menu/items', { categoryId, name: 'Mocha', price: 1 })).status).toBe(409);
      const sku = await owner.post('/api/v1/menu/items', { categoryId, name: 'Mocha 2', price: 1, sku: 'MO-1' });
      expect(sku.status).toBe(409);
      expect(sku.body.code).toBe('CONFLICT');
    });

    it('PATCH needs the current version: success bumps it, a stale one is 409 and changes nothing', async () => {
      const { owner, manager } = await crew();
      const categoryId = await category(owner);
      const created = await item(owner, categoryId, { price: 450 });
      const updated = await manager.patch(`/api/v1/menu/items/${created.id}`, { price: 500, version: 1 }).expect(200);
      expect(updated.body).toMatchObject({ price: 500, version: 2 });
      const stale = await owner.patch(`/api/v1/menu/items/${created.id}`, { price: 999, version: 1 }).expect(409);
      expect(stale.body.code).toBe('CONFLICT');
      expect((await owner.get(`/api/v1/menu/items/${created.id}`)).body).toMatchObject({ price: 500, version: 2 });
      const missing = await owner.patch(`/api/v1/menu/items/${created.id}`, { price: 1 }).expect(422);
      expect(new Set(missing.body.errors.map((e: { field: string }) => e.field))).toEqual(new Set(['version']));
    });

    it('lets only one of two concurrent edits with the same version win', async () => {
      const { owner, manager } = await crew();
      const created = await item(owner, await category(owner));
      const results = await Promise.all([
        owner.patch(`/api/v1/menu/items/${created.id}`, { price: 510, version: 1 }),
        manager.patch(`/api/v1/menu/items/${created.id}`, { price: 520, version: 1 }),
      ]);
      expect(results.map((res) => res.status).sort()).toEqual([200, 409]);
      expect((await owner.get(`/api/v1/menu/items/${created.id}`)).body.version).toBe(2);
    });

    it('a modifierGroups value replaces the whole set; removed options are gone', async () => {
      const { owner } = await crew();
      const created = await item(owner, await category(owner), { modifierGroups: [MILK, SIZE] });
      const oldOption = created.modifierGroups[0].options[0].id;
      const res = await owner
        .patch(`/api/v1/menu/items/${created.id}`, { version: created.version, modifierGroups: [SIZE] })
        .expect(200);
      expect(res.body.modifierGroups.map((g: { name: string }) => g.name)).toEqual(['Size']);
      expect(JSON.stringify(res.body)).not.toContain(oldOption);
      const cleared = await owner
        .patch(`/api/v1/menu/items/${created.id}`, { version: res.body.version, modifierGroups: [] })
        .expect(200);
      expect(cleared.body.modifierGroups).toEqual([]);
    });

    it('staff read the menu and toggle availability, but cannot write otherwise', async () => {
      const { owner, staff } = await crew();
      const categoryId = await category(owner);
      const created = await item(owner, categoryId);
      await staff.get('/api/v1/menu/items').expect(200);
      await staff.get(`/api/v1/menu/items/${created.id}`).expect(200);
      await staff.get('/api/v1/menu/categories').expect(200);
      const toggled = await staff
        .patch(`/api/v1/menu/items/${created.id}/availability`, { isAvailable: false })
        .expect(200);
      expect(toggled.body).toMatchObject({ isAvailable: false, version: 2 });
      for (const res of [
        await staff.post('/api/v1/menu/items', { categoryId, name: 'Nope', price: 1 }),
        await staff.patch(`/api/v1/menu/items/${created.id}`, { price: 1, version: 2 }),
        await staff.delete(`/api/v1/menu/items/${created.id}`),
        await staff.post('/api/v1/menu/categories', { name: 'Nope' }),
        await staff.patch(`/api/v1/menu/categories/${categoryId}`, { name: 'Nope' }),
        await staff.delete(`/api/v1/menu/categories/${categoryId}`),
      ]) {
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('FORBIDDEN');
      }
      expect((await staff.patch(`/api/v1/menu/items/${created.id}/availability`, { isAvailable: 'no' })).status).toBe(
        422,
      );
    });

    it('API keys with menu:read read the menu; without it, or for writes, 403', async () => {
      const { owner } = await crew();
      const categoryId = await category(owner);
      await item(owner, categoryId);
      const reader = (await owner.post('/api/v1/api-keys', { name: 'POS', scopes: ['menu:read'] }).expect(201)).body
        .key as string;
      const other = (await owner.post('/api/v1/api-keys', { name: 'Orders', scopes: ['orders:read'] }).expect(201)).body
        .key as string;
      expect((await bearer(api.server, reader).get('/api/v1/menu/items').expect(200)).body.meta.total).toBe(1);
      await bearer(api.server, reader).get(`/api/v1/menu/categories/${categoryId}`).expect(200);
      expect((await bearer(api.server, reader).post('/api/v1/menu/categories', { name: 'X' })).status).toBe(403);
      expect((await bearer(api.server, other).get('/api/v1/menu/items')).status).toBe(403);
    });

    it('soft delete: gone from reads and lists, the name can be reused, deleting again is 404', async () => {
      const { owner } = await crew();
      const categoryId = await category(owner);
      const created = await item(owner, categoryId, { name: 'Cortado', sku: 'CO-1' });
      await owner.delete(`/api/v1/menu/items/${created.id}`).expect(204);
      await owner.get(`/api/v1/menu/items/${created.id}`).expect(404);
      expect((await owner.get('/api/v1/menu/items')).body.meta.total).toBe(0);
      await owner.patch(`/api/v1/menu/items/${created.id}`, { price: 1, version: 2 }).expect(404);
      await owner.patch(`/api/v1/menu/items/${created.id}/availability`, { isAvailable: true }).expect(404);
      await owner.delete(`/api/v1/menu/items/${created.id}`).expect(404);
      await item(owner, categoryId, { name: 'Cortado', sku: 'CO-1' });
    });

    it('lists with filters, sort and the contract meta', async () => {
      const { owner } = await crew();
      const hot = await category(owner);
      const cold = await category(owner);
      await item(owner, hot, { name: 'Espresso', price: 250, position: 1 });
      await item(owner, hot, { name: 'Americano', price: 300, position: 2, isAvailable: false });
      await item(owner, cold, { name: 'Iced latte', price: 500, position: 1, description: 'over ice' });
      const page = await owner.get('/api/v1/menu/items?limit=2&sort=-price').expect(200);
      expect(page.body.meta).toEqual({ limit: 2, offset: 0, total: 3, hasMore: true, nextCursor: null });
      expect(page.body.items.map((i: { name: string }) => i.name)).toEqual(['Iced latte', 'Americano']);
      expect((await owner.get(`/api/v1/menu/items?categoryId=${hot}`)).body.meta.total).toBe(2);
      expect(
        (await owner.get('/api/v1/menu/items?isAvailable=false')).body.items.map((i: { name: string }) => i.name),
      ).toEqual(['Americano']);
      expect((await owner.get('/api/v1/menu/items?q=ICE')).body.items.map((i: { name: string }) => i.name)).toEqual([
        'Iced latte',
      ]);
      for (const query of ['limit=0', 'limit=101', 'sort=cost', 'categoryId=nope', 'isAvailable=1']) {
        expect((await owner.get(`/api/v1/menu/items?${query}`)).status).toBe(422);
      }
    });
  });

  describe('categories', () => {
    it('CRUD with position order; a category holding items cannot be deleted (409); a deleted name is reusable', async () => {
      const { owner, manager } = await crew();
      const second = await category(owner, { name: 'Cold', position: 2 });
      const first = await category(owner, { name: 'Hot', position: 1, description: 'Warm things' });
      const list = await manager.get('/api/v1/menu/categories').expect(200);
      expect(list.body.items.map((c: { name: string }) => c.name)).toEqual(['Hot', 'Cold']);
      expect(list.body.items[0]).toEqual({
        id: first,
        name: 'Hot',
        description: 'Warm things',
        position: 1,
        isActive: true,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect((await manager.patch(`/api/v1/menu/categories/${second}`, { isActive: false })).body.isActive).toBe(false);
      expect((await owner.post('/api/v1/menu/categories', { name: 'Hot' })).status).toBe(409);
      const held = await item(owner, first);
      expect((await owner.delete(`/api/v1/menu/categories/${first}`)).status).toBe(409);
      await owner.delete(`/api/v1/menu/items/${held.id}`).expect(204);
      await owner.delete(`/api/v1/menu/categories/${first}`).expect(204);
      await owner.get(`/api/v1/menu/categories/${first}`).expect(404);
      await category(owner, { name: 'Hot' });
      const inactive = await owner.get('/api/v1/menu/categories?isActive=false').expect(200);
      expect(inactive.body.items.map((c: { id: string }) => c.id)).toEqual([second]);
    });
  });

  describe('tenant isolation', () => {
    it('answers 404 on every :id route for another restaurant’s category, item and table', async () => {
      const mine = await crew();
      const theirs = await crew();
      const theirCategory = await category(theirs.owner);
      const theirItem = await item(theirs.owner, theirCategory);
      const theirTable = (await theirs.owner.post('/api/v1/tables', { label: 'T1' }).expect(201)).body.id as string;
      const calls = [
        () => mine.owner.get(`/api/v1/menu/categories/${theirCategory}`),
        () => mine.owner.patch(`/api/v1/menu/categories/${theirCategory}`, { name: 'Mine now' }),
        () => mine.owner.delete(`/api/v1/menu/categories/${theirCategory}`),
        () => mine.owner.get(`/api/v1/menu/items/${theirItem.id}`),
        () => mine.owner.patch(`/api/v1/menu/items/${theirItem.id}`, { price: 1, version: 1 }),
        () => mine.owner.delete(`/api/v1/menu/items/${theirItem.id}`),
        () => mine.staff.patch(`/api/v1/menu/items/${theirItem.id}/availability`, { isAvailable: false }),
        () => mine.owner.get(`/api/v1/tables/${theirTable}`),
        () => mine.owner.patch(`/api/v1/tables/${theirTable}`, { seats: 9 }),
        () => mine.owner.delete(`/api/v1/tables/${theirTable}`),
      ];
      for (const call of calls) {
        const res = await call();
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('NOT_FOUND');
      }
      expect((await theirs.owner.get(`/api/v1/menu/items/${theirItem.id}`)).body).toMatchObject({
        price: 450,
        isAvailable: true,
        version: 1,
      });
      expect((await theirs.owner.get(`/api/v1/tables/${theirTable}`)).body.seats).toBe(2);
    });
  });

  describe('tables', () => {
    it('CRUD for owner and manager, read for staff, unique label, random QR token', async () => {
      const { owner, manager, staff } = await crew();
      const created = await manager.post('/api/v1/tables', { label: 'T4', seats: 4 }).expect(201);
      expect(created.body).toEqual({
        id: expect.any(String),
        label: 'T4',
        seats: 4,
        isActive: true,
        qrToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      });
      expect((await owner.post('/api/v1/tables', { label: 'T4' })).status).toBe(409);
      const other = await owner.post('/api/v1/tables', { label: 'T5' }).expect(201);
      expect(other.body.qrToken).not.toBe(created.body.qrToken);
      await staff.get('/api/v1/tables').expect(200);
      expect((await staff.post('/api/v1/tables', { label: 'T9' })).status).toBe(403);
      expect((await staff.patch(`/api/v1/tables/${created.body.id}`, { seats: 2 })).status).toBe(403);
      expect(
        (await manager.patch(`/api/v1/tables/${created.body.id}`, { isActive: false, seats: 6 })).body,
      ).toMatchObject({ isActive: false, seats: 6 });
      expect((await owner.patch(`/api/v1/tables/${other.body.id}`, { label: 'T4' })).status).toBe(409);
      await owner.delete(`/api/v1/tables/${created.body.id}`).expect(204);
      await owner.get(`/api/v1/tables/${created.body.id}`).expect(404);
      await owner.post('/api/v1/tables', { label: 'T4' }).expect(201);
      const list = await owner.get('/api/v1/tables').expect(200);
      expect(list.body.meta.total).toBe(2);
      expect(list.body.items.map((t: { label: string }) => t.label)).toEqual(['T4', 'T5']);
      for (const body of [
        { label: '' },
        { label: 'T7', seats: 0 },
        { label: 'T7', qrToken: 'mine' },
        { label: 'T7', restaurantId: randomUUID() },
      ]) {
        expect((await owner.post('/api/v1/tables', body)).status).toBe(422);
      }
    });
  });

  describe('public menu', () => {
    it('serves active categories with available items and options, by position, without auth', async () => {
      const { owner, cafe } = await crew();
      const drinks = await category(owner, { name: 'Drinks', position: 2 });
      const food = await category(owner, { name: 'Food', position: 1, description: 'Baked today' });
      const hidden = await category(owner, { name: 'Secret', position: 0, isActive: false });
      const latte = await item(owner, drinks, {
        name: 'Latte',
        price: 450,
        taxRateBps: 1900,
        position: 2,
        modifierGroups: [MILK],
      });
      await item(owner, drinks, { name: 'Espresso', price: 250, position: 1 });
      await item(owner, drinks, { name: 'Sold out', price: 1, position: 0, isAvailable: false });
      await item(owner, food, { name: 'Croissant', price: 300 });
      await item(owner, hidden, { name: 'Hidden item', price: 1 });
      const gone = await item(owner, food, { name: 'Deleted', price: 1 });
      await owner.delete(`/api/v1/menu/items/${gone.id}`).expect(204);

      const res = await request(api.server).get(`/api/v1/public/restaurants/${cafe.restaurant.slug}/menu`).expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body.restaurant).toEqual({
        name: cafe.restaurant.name,
        slug: cafe.restaurant.slug,
        currency: 'USD',
        timezone: 'America/New_York',
      });
      expect(res.body.categories.map((c: { name: string }) => c.name)).toEqual(['Food', 'Drinks']);
      expect(res.body.categories[0]).toEqual({
        id: food,
        name: 'Food',
        description: 'Baked today',
        position: 1,
        items: [
          {
            id: expect.any(String),
            name: 'Croissant',
            description: '',
            price: 300,
            taxRateBps: 0,
            position: 0,
            modifierGroups: [],
          },
        ],
      });
      const drinksItems = res.body.categories[1].items as {
        id: string;
        name: string;
        modifierGroups: { options: { name: string }[] }[];
      }[];
      expect(drinksItems.map((i) => i.name)).toEqual(['Espresso', 'Latte']);
      const publicLatte = drinksItems.find((i) => i.id === latte.id)!;
      expect(publicLatte).toMatchObject({ price: 450, taxRateBps: 1900, position: 2 });
      expect(publicLatte.modifierGroups[0].options.map((o) => o.name)).toEqual(['Oat']);
      expect(JSON.stringify(res.body)).not.toMatch(/Hidden item|Sold out|Deleted|Secret|version|sku/);
    });

    it('sends ETag and Cache-Control; If-None-Match answers 304; a change gives a new ETag', async () => {
      const { owner, cafe } = await crew();
      const created = await item(owner, await category(owner));
      const path = `/api/v1/public/restaurants/${cafe.restaurant.slug}/menu`;
      const first = await request(api.server).get(path).expect(200);
      const etag = first.headers.etag;
      expect(etag).toMatch(/^"[^"]+"$/);
      expect(first.headers['cache-control']).toMatch(/^public, max-age=\d+$/);
      const notModified = await request(api.server).get(path).set('If-None-Match', etag).expect(304);
      expect(notModified.text).toBe('');
      expect(notModified.headers.etag).toBe(etag);
      await request(api.server).get(path).set('If-None-Match', '"something-else"').expect(200);

      await owner.patch(`/api/v1/menu/items/${created.id}/availability`, { isAvailable: false }).expect(200);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const changed = await request(api.server).get(path).set('If-None-Match', etag).expect(200);
      expect(changed.headers.etag).not.toBe(etag);
      expect(changed.body.categories[0].items).toEqual([]);
    });

    it('answers 404 problem+json for an unknown slug', async () => {
      for (const slug of ['no-such-cafe-here', 'BAD SLUG', 'x']) {
        const res = await request(api.server)
          .get(`/api/v1/public/restaurants/${encodeURIComponent(slug)}/menu`)
          .expect(404);
        expect(res.body.code).toBe('NOT_FOUND');
      }
    });
  });
});
