import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { signedInCrew } from '../factories/crew.factory';
import { category, item, MILK } from '../factories/menu.factory';
import { startTestApi, type TestApi } from '../support/test-app';
import { eventually } from '../support/processes';

describe('tables and the public menu', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });

  afterAll(async () => {
    await api.close();
  });

  const crew = () => signedInCrew(api.app, api.server);

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
      const changed = await eventually(async () => {
        const res = await request(api.server).get(path).set('If-None-Match', etag);
        return res.status === 200 ? res : undefined;
      });
      expect(changed.headers.etag).not.toBe(etag);
      expect(changed.body.categories[0].items).toEqual([]);
    });

    it('is answered before middleware yet keeps security headers, request ids, Vary and metrics', async () => {
      const { owner, cafe } = await crew();
      await item(owner, await category(owner));
      const path = `/api/v1/public/restaurants/${cafe.restaurant.slug}/menu`;
      const res = await request(api.server).get(path).set('X-Request-Id', 'qr-scan-7').expect(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-request-id']).toBe('qr-scan-7');
      expect(res.headers.vary).toBe('Origin');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      const missing = await request(api.server).get('/api/v1/public/restaurants/no-such-cafe-here/menu').expect(404);
      expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(missing.headers['x-content-type-options']).toBe('nosniff');

      const metrics = await request(api.server).get('/metrics').expect(200);
      expect(metrics.text).toMatch(
        /http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/public\/restaurants\/:slug\/menu",status_code="200"\} [1-9]/,
      );
    });

    it('answers browsers sending Origin through the full pipeline: CORS for listed origins only', async () => {
      const { owner, cafe } = await crew();
      await item(owner, await category(owner));
      const path = `/api/v1/public/restaurants/${cafe.restaurant.slug}/menu`;
      const plain = await request(api.server).get(path).expect(200);
      const allowed = await request(api.server).get(path).set('Origin', 'https://admin.example.test').expect(200);
      expect(allowed.body).toEqual(plain.body);
      expect(allowed.headers.etag).toBe(plain.headers.etag);
      expect(allowed.headers['access-control-allow-origin']).toBe('https://admin.example.test');
      expect(allowed.headers['access-control-expose-headers']).toContain('etag');
      expect(allowed.headers.vary).toContain('Origin');
      expect(allowed.headers['x-content-type-options']).toBe('nosniff');
      expect(allowed.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      await request(api.server)
        .get(path)
        .set('Origin', 'https://admin.example.test')
        .set('If-None-Match', plain.headers.etag)
        .expect(304);
      const foreign = await request(api.server).get(path).set('Origin', 'https://evil.example.test').expect(200);
      expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
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
