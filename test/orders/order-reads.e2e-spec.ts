import request from 'supertest';
import { idempotencyKey as key, place, seedShop, takeaway } from '../factories/shop.factory';
import { bearer } from '../support/session';
import { startTestApi, type TestApi } from '../support/test-app';

describe('orders: reads, tenant isolation, API keys', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });

  afterAll(async () => {
    await api.close();
  });

  const shop = () => seedShop(api.app, api.server);

  it('pages newest first by cursor, with filters, and shows the kitchen oldest first', async () => {
    const s = await shop();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await place(s.staff, takeaway(s)).expect(201)).body.id as string);
    const dine = (
      await place(s.staff, {
        type: 'dine_in',
        tableId: s.tableId,
        items: [{ menuItemId: s.cookie.id, quantity: 1 }],
      }).expect(201)
    ).body.id as string;
    ids.push(dine);
    const first = await s.owner.get('/api/v1/orders?limit=4').expect(200);
    expect(first.body.meta).toMatchObject({ limit: 4, total: 6, hasMore: true, nextCursor: expect.any(String) });
    const second = await s.owner.get(`/api/v1/orders?limit=4&cursor=${first.body.meta.nextCursor}`).expect(200);
    expect(second.body.meta).toMatchObject({ total: null, hasMore: false, nextCursor: null });
    const seen = [...first.body.items, ...second.body.items].map((o: { id: string }) => o.id);
    expect(seen).toEqual([...ids].reverse());
    expect(first.body.items[0].items.length).toBeGreaterThan(0);

    expect((await s.owner.get('/api/v1/orders?type=dine_in')).body.items.map((o: { id: string }) => o.id)).toEqual([
      dine,
    ]);
    expect((await s.owner.get(`/api/v1/orders?tableId=${s.tableId}`)).body.meta.total).toBe(1);
    await s.staff.post(`/api/v1/orders/${ids[0]}/status`, { status: 'preparing' }).expect(200);
    await s.owner.post(`/api/v1/orders/${ids[1]}/status`, { status: 'cancelled', reason: 'test' }).expect(200);
    expect((await s.owner.get('/api/v1/orders?status=preparing,cancelled')).body.meta.total).toBe(2);
    const kitchen = await s.staff.get('/api/v1/orders/kitchen').expect(200);
    expect(Object.keys(kitchen.body)).toEqual(['items']);
    expect(kitchen.body.items.map((o: { id: string }) => o.id)).toEqual(ids.filter((id) => id !== ids[1]));
    for (const query of ['limit=0', 'limit=101', 'status=done', 'sort=total', 'cursor=garbage', 'from=yesterday']) {
      expect((await s.owner.get(`/api/v1/orders?${query}`)).status).toBe(422);
    }
  });

  it('keeps restaurants apart: another restaurant’s order is 404 everywhere', async () => {
    const s = await shop();
    const t = await shop();
    const theirs = (await place(t.owner, takeaway(t)).expect(201)).body.id as string;
    for (const res of [
      await s.owner.get(`/api/v1/orders/${theirs}`),
      await s.owner.get(`/api/v1/orders/${theirs}/history`),
      await s.owner.post(`/api/v1/orders/${theirs}/status`, { status: 'preparing' }),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
    }
    expect((await s.owner.get('/api/v1/orders')).body.meta.total).toBe(0);
    expect((await t.owner.get(`/api/v1/orders/${theirs}`)).body.status).toBe('pending');
  });

  it('API keys: orders:read reads, orders:write places, nothing else passes', async () => {
    const s = await shop();
    const reader = (await s.owner.post('/api/v1/api-keys', { name: 'R', scopes: ['orders:read'] }).expect(201)).body
      .key as string;
    const writer = (await s.owner.post('/api/v1/api-keys', { name: 'W', scopes: ['orders:write'] }).expect(201)).body
      .key as string;
    const placed = await bearer(api.server, writer)
      .post('/api/v1/orders', takeaway(s))
      .set('Idempotency-Key', key())
      .expect(201);
    expect((await bearer(api.server, reader).get('/api/v1/orders').expect(200)).body.meta.total).toBe(1);
    expect(
      (await bearer(api.server, reader).post('/api/v1/orders', takeaway(s)).set('Idempotency-Key', key())).status,
    ).toBe(403);
    await bearer(api.server, writer)
      .post(`/api/v1/orders/${placed.body.id}/status`, { status: 'preparing' })
      .expect(200);
    expect(
      (
        await bearer(api.server, writer).post(`/api/v1/orders/${placed.body.id}/status`, {
          status: 'cancelled',
          reason: 'x',
        })
      ).status,
    ).toBe(403);
    await request(api.server).get('/api/v1/orders').expect(401);
  });
});
