import { randomUUID } from 'node:crypto';
import { signedInCrew } from '../factories/crew.factory';
import { category, item, MILK, SIZE } from '../factories/menu.factory';
import { bearer } from '../support/session';
import { startTestApi, type TestApi } from '../support/test-app';

describe('menu: categories, items, modifiers, availability, soft delete, optimistic locking', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });

  afterAll(async () => {
    await api.close();
  });

  const crew = () => signedInCrew(api.app, api.server);

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
});
