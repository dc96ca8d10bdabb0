import request from 'supertest';
import { place, seedShop, takeaway } from '../factories/shop.factory';
import { FULL_MODE } from '../support/env';
import type { BrowserSession } from '../support/session';
import { startTestApi, type TestApi } from '../support/test-app';

interface Listed {
  id: string;
  createdAt: string;
}

/** `sort=createdAt` / `sort=-createdAt` with keyset cursors: every order exactly once, in order, both ways. */
describe('orders: list sorting and cursor paging', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });

  afterAll(async () => {
    await api.close();
  });

  async function pageThrough(session: BrowserSession, sort: string | null, limit: number): Promise<string[]> {
    const seen: string[] = [];
    const base = `/api/v1/orders?limit=${limit}${sort === null ? '' : `&sort=${sort}`}`;
    let res = await session.get(base).expect(200);
    for (let pages = 1; ; pages++) {
      expect(res.body.items.length).toBeLessThanOrEqual(limit);
      seen.push(...(res.body.items as Listed[]).map((order) => order.id));
      if (!res.body.meta.hasMore) {
        expect(res.body.meta.nextCursor).toBeNull();
        break;
      }
      expect(pages).toBeLessThan(20);
      res = await session.get(`${base}&cursor=${res.body.meta.nextCursor}`).expect(200);
      expect(res.body.meta.total).toBeNull();
    }
    return seen;
  }

  it('pages oldest first and newest first across several pages, each order exactly once', async () => {
    const s = await seedShop(api.app, api.server);
    const placed: Listed[] = [];
    for (let i = 0; i < 11; i++) placed.push((await place(s.staff, takeaway(s)).expect(201)).body as Listed);
    // Ties on createdAt (same millisecond) are broken by id, in the same direction.
    const ascending = [...placed]
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((order) => order.id);
    const descending = [...ascending].reverse();

    expect(await pageThrough(s.owner, 'createdAt', 3)).toEqual(ascending);
    expect(await pageThrough(s.owner, '-createdAt', 3)).toEqual(descending);
    expect(await pageThrough(s.owner, null, 4)).toEqual(descending);
    const first = await s.owner.get('/api/v1/orders?sort=createdAt&limit=20').expect(200);
    expect(first.body.meta).toMatchObject({ total: 11, hasMore: false });
    expect(first.body.items.map((order: Listed) => order.id)).toEqual(ascending);
    expect(
      (await s.owner.get('/api/v1/orders?sort=createdAt&offset=9').expect(200)).body.items.map((o: Listed) => o.id),
    ).toEqual(ascending.slice(9));

    if (FULL_MODE) {
      // The cursor pages above must have used the forced index, never the plain-query fallback.
      const metrics = (await request(api.server).get('/metrics').expect(200)).text;
      expect(metrics).toMatch(/^orders_page_index_hint_total\{outcome="forced"\} [1-9]\d*$/m);
      expect(metrics).not.toMatch(/^orders_page_index_hint_total\{outcome="fallback"\} [1-9]/m);
    }
  });

  it('refuses undocumented sorts and a cursor made for another sort (422)', async () => {
    const s = await seedShop(api.app, api.server);
    for (let i = 0; i < 3; i++) await place(s.staff, takeaway(s)).expect(201);
    for (const sort of ['total', '-total', 'createdat', '--createdAt', '+createdAt', 'id', 'createdAt,id']) {
      const res = await s.owner.get(`/api/v1/orders?sort=${encodeURIComponent(sort)}`);
      expect({ sort, status: res.status }).toEqual({ sort, status: 422 });
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['sort']);
    }
    const oldestFirst = await s.owner.get('/api/v1/orders?sort=createdAt&limit=1').expect(200);
    const cursor = oldestFirst.body.meta.nextCursor as string;
    for (const sort of ['-createdAt', null]) {
      const res = await s.owner.get(`/api/v1/orders?limit=1&cursor=${cursor}${sort ? `&sort=${sort}` : ''}`);
      expect(res.status).toBe(422);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['cursor']);
    }
    await s.owner.get(`/api/v1/orders?limit=1&cursor=${cursor}&sort=createdAt`).expect(200);
  });
});
