import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { idempotencyKey as key, place, seedShop, takeaway } from '../factories/shop.factory';
import { startTestApi, type TestApi } from '../support/test-app';

describe('orders: placement, pricing, numbering, workflow', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });

  afterAll(async () => {
    await api.close();
  });

  const shop = () => seedShop(api.app, api.server);

  describe('placement and pricing', () => {
    it('prices on the server, snapshots lines and answers 201 with the contract shape', async () => {
      const s = await shop();
      const res = await place(s.staff, takeaway(s)).expect(201);
      // latte: (450 + 60 + 100) × 2 = 1220, tax 19% = 231.8 → 232; cookie 250, tax 5% = 12.5 → 13
      expect(res.body).toMatchObject({
        number: 1,
        type: 'takeaway',
        status: 'pending',
        tableId: null,
        customerName: 'Ana',
        subtotal: 1470,
        tax: 245,
        discount: 0,
        tip: 0,
        total: 1715,
        paymentMethod: null,
        version: 1,
        createdBy: s.staff.userId,
        paidAt: null,
        cancelledAt: null,
      });
      expect(res.body.items).toEqual([
        {
          id: expect.any(String),
          menuItemId: s.latte.id,
          name: 'Latte',
          unitPrice: 450,
          quantity: 2,
          modifiers: [
            { optionId: s.latte.groups[0].options[0].id, name: 'Oat', priceDelta: 60 },
            { optionId: s.latte.groups[1].options[1].id, name: 'Large', priceDelta: 100 },
          ],
          lineTotal: 1220,
          notes: 'extra hot',
        },
        {
          id: expect.any(String),
          menuItemId: s.cookie.id,
          name: 'Cookie',
          unitPrice: 250,
          quantity: 1,
          modifiers: [],
          lineTotal: 250,
          notes: null,
        },
      ]);
      // The snapshot survives menu changes.
      const current = await s.owner.get(`/api/v1/menu/items/${s.cookie.id}`);
      await s.owner
        .patch(`/api/v1/menu/items/${s.cookie.id}`, { price: 999, name: 'Big cookie', version: current.body.version })
        .expect(200);
      const again = await s.owner.get(`/api/v1/orders/${res.body.id}`).expect(200);
      expect(again.body.items[1]).toMatchObject({ name: 'Cookie', unitPrice: 250 });
      expect(again.body).toEqual(res.body);
      const metrics = await request(api.server).get('/metrics').expect(200);
      expect(metrics.text).toMatch(/^orders_created_total\{type="takeaway"\} [1-9]\d*$/m);
    });

    it('needs a well-formed Idempotency-Key (400 IDEMPOTENCY_KEY_MISSING)', async () => {
      const s = await shop();
      for (const badKey of [null, 'short', 'x'.repeat(129), 'has spaces in it']) {
        const res = await place(s.owner, takeaway(s), badKey).expect(400);
        expect(res.body.code).toBe('IDEMPOTENCY_KEY_MISSING');
      }
    });

    it('replays the same key and body (same order, no second one); another body is 409 IDEMPOTENCY_KEY_REUSED', async () => {
      const s = await shop();
      const k = key();
      const first = await place(s.owner, takeaway(s), k).expect(201);
      const replay = await place(s.owner, takeaway(s), k).expect(200);
      expect(replay.body).toEqual(first.body);
      const other = await place(s.owner, takeaway(s, { customerName: 'Someone else' }), k).expect(409);
      expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect((await s.owner.get('/api/v1/orders')).body.meta.total).toBe(1);
      // Keys are per restaurant.
      const t = await shop();
      await place(t.owner, takeaway(t), k).expect(201);
    });

    it('replays the first answer after the menu changed; an invalid body with a used key is 409 IDEMPOTENCY_KEY_REUSED', async () => {
      const s = await shop();
      const k = key();
      const first = await place(s.owner, takeaway(s), k).expect(201);
      await s.owner.patch(`/api/v1/menu/items/${s.cookie.id}/availability`, { isAvailable: false }).expect(200);
      // Placed now, this body would be 422 (the cookie is 86'd); replayed, it is the stored order.
      await place(s.owner, takeaway(s)).expect(422);
      const replay = await place(s.owner, takeaway(s), k).expect(200);
      expect(replay.body).toEqual(first.body);
      const invalid = await place(s.owner, { type: 'takeaway', items: [{ menuItemId: randomUUID(), quantity: 1 }] }, k);
      expect([invalid.status, invalid.body.code]).toEqual([409, 'IDEMPOTENCY_KEY_REUSED']);
      const list = (await s.owner.get('/api/v1/orders').expect(200)).body as { meta: { total: number } };
      expect(list.meta.total).toBe(1);
      // The replays and refusals consumed no number: the next order is 2.
      await s.owner.patch(`/api/v1/menu/items/${s.cookie.id}/availability`, { isAvailable: true }).expect(200);
      expect((await place(s.owner, takeaway(s)).expect(201)).body.number).toBe(2);
    });

    it('20 concurrent placements with one key create one order and never a 500', async () => {
      const s = await shop();
      const k = key();
      const results = await Promise.all(Array.from({ length: 20 }, () => place(s.owner, takeaway(s), k)));
      for (const res of results) expect([200, 201, 409]).toContain(res.status);
      const ids = new Set(results.filter((res) => res.status < 300).map((res) => res.body.id as string));
      expect(ids.size).toBe(1);
      expect(results.filter((res) => res.status === 201)).toHaveLength(1);
      for (const res of results.filter((r) => r.status === 409)) expect(res.body.code).toBe('IDEMPOTENCY_KEY_IN_USE');
      expect((await s.owner.get('/api/v1/orders')).body.meta.total).toBe(1);
    });

    it('30 concurrent placements get the numbers 1..30, no gap, no duplicate', async () => {
      const s = await shop();
      const results = await Promise.all(Array.from({ length: 30 }, () => place(s.staff, takeaway(s))));
      expect(results.map((res) => res.status)).toEqual(Array(30).fill(201));
      const numbers = results.map((res) => res.body.number as number).sort((a, b) => a - b);
      expect(numbers).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    });

    it('refuses bad lines with 422 naming the field, and stores nothing', async () => {
      const s = await shop();
      const other = await shop();
      const [milk, size] = s.latte.groups;
      const small = size.options[0].id;
      const unavailable = (
        await s.owner
          .post('/api/v1/menu/items', {
            categoryId: (await s.owner.get('/api/v1/menu/categories')).body.items[0].id,
            name: 'Sold out',
            price: 1,
            isAvailable: false,
          })
          .expect(201)
      ).body.id as string;
      const deleted = (
        await s.owner
          .post('/api/v1/menu/items', {
            categoryId: (await s.owner.get('/api/v1/menu/categories')).body.items[0].id,
            name: 'Gone',
            price: 1,
          })
          .expect(201)
      ).body.id as string;
      await s.owner.delete(`/api/v1/menu/items/${deleted}`).expect(204);
      const line = (extra: object) => ({
        type: 'takeaway',
        items: [{ menuItemId: s.latte.id, quantity: 1, modifierOptionIds: [small], ...extra }],
      });
      const cases: [object, string][] = [
        [{ type: 'takeaway', items: [{ menuItemId: randomUUID(), quantity: 1 }] }, 'items[0].menuItemId'],
        [{ type: 'takeaway', items: [{ menuItemId: other.cookie.id, quantity: 1 }] }, 'items[0].menuItemId'],
        [{ type: 'takeaway', items: [{ menuItemId: unavailable, quantity: 1 }] }, 'items[0].menuItemId'],
        [{ type: 'takeaway', items: [{ menuItemId: deleted, quantity: 1 }] }, 'items[0].menuItemId'],
        [line({ modifierOptionIds: [] }), 'items[0].modifierOptionIds'],
        [line({ modifierOptionIds: [small, size.options[1].id] }), 'items[0].modifierOptionIds'],
        [line({ modifierOptionIds: [small, milk.options[0].id, milk.options[1].id] }), 'items[0].modifierOptionIds'],
        [line({ modifierOptionIds: [small, other.latte.groups[0].options[0].id] }), 'items[0].modifierOptionIds'],
        [line({ quantity: 0 }), 'items[0].quantity'],
        [line({ quantity: 100 }), 'items[0].quantity'],
        [{ type: 'takeaway', items: [] }, 'items'],
        [
          { type: 'takeaway', items: Array.from({ length: 101 }, () => ({ menuItemId: s.cookie.id, quantity: 1 })) },
          'items',
        ],
        [{ type: 'dine_in', items: [{ menuItemId: s.cookie.id, quantity: 1 }] }, 'tableId'],
        [{ type: 'dine_in', tableId: other.tableId, items: [{ menuItemId: s.cookie.id, quantity: 1 }] }, 'tableId'],
        [{ type: 'delivery', items: [{ menuItemId: s.cookie.id, quantity: 1 }] }, 'type'],
        [{ type: 'takeaway', total: 1, items: [{ menuItemId: s.cookie.id, quantity: 1 }] }, 'total'],
        [{ type: 'takeaway', items: [{ menuItemId: s.cookie.id, quantity: 1, unitPrice: 1 }] }, 'items[0].unitPrice'],
      ];
      for (const [body, field] of cases) {
        const res = await place(s.owner, body);
        expect(res.status).toBe(422);
        expect(res.body.code).toBe('VALIDATION_FAILED');
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      }
      expect((await s.owner.get('/api/v1/orders')).body.meta.total).toBe(0);
      // An inactive table is refused too.
      await s.owner.patch(`/api/v1/tables/${s.tableId}`, { isActive: false }).expect(200);
      const inactive = await place(s.owner, {
        type: 'dine_in',
        tableId: s.tableId,
        items: [{ menuItemId: s.cookie.id, quantity: 1 }],
      }).expect(422);
      expect(inactive.body.errors[0].field).toBe('tableId');
    });
  });

  describe('status workflow', () => {
    it('walks a dine-in order to paid, records every change, and computes the tip into the total', async () => {
      const s = await shop();
      const order = (
        await place(s.staff, {
          type: 'dine_in',
          tableId: s.tableId,
          items: [{ menuItemId: s.cookie.id, quantity: 2 }],
        }).expect(201)
      ).body;
      let current = order;
      for (const status of ['preparing', 'ready', 'served']) {
        current = (
          await s.staff.post(`/api/v1/orders/${order.id}/status`, { status, version: current.version }).expect(200)
        ).body;
        expect(current.status).toBe(status);
      }
      const refused = await s.staff.post(`/api/v1/orders/${order.id}/status`, { status: 'paid' }).expect(422);
      expect(refused.body.errors[0].field).toBe('paymentMethod');
      const paid = await s.staff
        .post(`/api/v1/orders/${order.id}/status`, { status: 'paid', paymentMethod: 'card', tip: 100 })
        .expect(200);
      expect(paid.body).toMatchObject({
        status: 'paid',
        paymentMethod: 'card',
        tip: 100,
        subtotal: 500,
        tax: 25,
        total: 625,
      });
      expect(paid.body.paidAt).toEqual(expect.any(String));
      const history = await s.owner.get(`/api/v1/orders/${order.id}/history`).expect(200);
      expect(history.body.items.map((h: { from: string | null; to: string }) => [h.from, h.to])).toEqual([
        [null, 'pending'],
        ['pending', 'preparing'],
        ['preparing', 'ready'],
        ['ready', 'served'],
        ['served', 'paid'],
      ]);
      expect(history.body.items[0]).toMatchObject({ by: s.staff.userId, at: expect.any(String), reason: null });
      const after = await s.owner
        .post(`/api/v1/orders/${order.id}/status`, { status: 'cancelled', reason: 'late' })
        .expect(409);
      expect(after.body.code).toBe('INVALID_TRANSITION');
    });

    it('lets takeaway go ready → paid but not dine-in; other jumps are 409 INVALID_TRANSITION', async () => {
      const s = await shop();
      const to = (id: string, status: string, extra: object = {}) =>
        s.staff.post(`/api/v1/orders/${id}/status`, { status, ...extra });
      const take = (await place(s.staff, takeaway(s)).expect(201)).body.id as string;
      const dine = (
        await place(s.staff, {
          type: 'dine_in',
          tableId: s.tableId,
          items: [{ menuItemId: s.cookie.id, quantity: 1 }],
        }).expect(201)
      ).body.id as string;
      expect((await to(take, 'ready')).body.code).toBe('INVALID_TRANSITION');
      expect((await to(take, 'paid', { paymentMethod: 'cash' })).status).toBe(409);
      for (const id of [take, dine]) {
        await to(id, 'preparing').expect(200);
        await to(id, 'ready').expect(200);
      }
      await to(take, 'paid', { paymentMethod: 'cash' }).expect(200);
      expect((await to(dine, 'paid', { paymentMethod: 'cash' })).body.code).toBe('INVALID_TRANSITION');
      expect((await to(dine, 'pending')).status).toBe(409);
    });

    it('cancelling needs a manager or owner and a reason', async () => {
      const s = await shop();
      const id = (await place(s.staff, takeaway(s)).expect(201)).body.id as string;
      const staff = await s.staff
        .post(`/api/v1/orders/${id}/status`, { status: 'cancelled', reason: 'changed mind' })
        .expect(403);
      expect(staff.body.code).toBe('FORBIDDEN');
      expect((await s.owner.post(`/api/v1/orders/${id}/status`, { status: 'cancelled' })).status).toBe(422);
      const cancelled = await s.owner
        .post(`/api/v1/orders/${id}/status`, { status: 'cancelled', reason: 'changed mind' })
        .expect(200);
      expect(cancelled.body.cancelledAt).toEqual(expect.any(String));
      const history = (await s.owner.get(`/api/v1/orders/${id}/history`)).body.items;
      expect(history[1]).toMatchObject({
        from: 'pending',
        to: 'cancelled',
        reason: 'changed mind',
        by: s.owner.userId,
      });
    });

    it('a stale version is 409 CONFLICT', async () => {
      const s = await shop();
      const order = (await place(s.staff, takeaway(s)).expect(201)).body;
      await s.staff.post(`/api/v1/orders/${order.id}/status`, { status: 'preparing', version: 1 }).expect(200);
      const stale = await s.owner
        .post(`/api/v1/orders/${order.id}/status`, { status: 'cancelled', reason: 'x', version: 1 })
        .expect(409);
      expect(stale.body.code).toBe('CONFLICT');
    });
  });
});
