import { DataSource } from 'typeorm';
import { TransactionRunner, trustedTenantScope, withManager } from '@coffee/database';
import { IntegrationEvents } from '@coffee/tenancy';
import { OutboxEventEntity } from '@coffee/webhooks';
import { TEST_PASSWORD } from '../factories/restaurant.factory';
import { place, seedShop, takeaway } from '../factories/shop.factory';
import { SYSADMIN } from '../support/env';
import { eventually } from '../support/processes';
import { bearer, BrowserSession } from '../support/session';
import { verifyStandardWebhook } from '../support/webhook-receiver';
import { bodyOf, receivedAtLeast, useWebhookSuite, type Delivered } from './webhook-suite';

jest.setTimeout(120_000);

describe('webhooks: endpoints, signed deliveries, outbox', () => {
  const suite = useWebhookSuite();
  const { receiver, endpointFor, log } = suite;

  it('shows the secret once, keeps it out of reads and the audit log, and audits every change', async () => {
    const shop = await seedShop(suite.app(), suite.server());
    const created = await shop.owner
      .post('/api/v1/webhooks', { url: 'http://127.0.0.1:1/hooks', events: ['order.created'] })
      .expect(201);
    expect(created.body).toMatchObject({
      url: 'http://127.0.0.1:1/hooks',
      events: ['order.created'],
      description: '',
      isEnabled: true,
      disabledReason: null,
      consecutiveFailures: 0,
    });
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const id = created.body.id as string;

    const read = await shop.owner.get(`/api/v1/webhooks/${id}`).expect(200);
    expect(read.body).not.toHaveProperty('secret');
    const listed = await shop.owner.get('/api/v1/webhooks').expect(200);
    expect(listed.body.meta).toMatchObject({ total: 1, limit: 20, offset: 0 });
    expect(JSON.stringify(listed.body)).not.toContain(created.body.secret);

    const disabled = await shop.owner.patch(`/api/v1/webhooks/${id}`, { isEnabled: false }).expect(200);
    expect(disabled.body.isEnabled).toBe(false);
    await shop.owner.patch(`/api/v1/webhooks/${id}`, { events: ['order.created', 'order.created'] }).expect(422);
    await shop.owner.patch(`/api/v1/webhooks/${id}`, { events: ['order.deleted'] }).expect(422);
    await shop.owner.patch(`/api/v1/webhooks/${id}`, { secret: 'whsec_mine' }).expect(422);
    await shop.owner.delete(`/api/v1/webhooks/${id}`).expect(204);
    await shop.owner.get(`/api/v1/webhooks/${id}`).expect(404);

    const sysadmin = await BrowserSession.login(suite.server(), SYSADMIN.email, SYSADMIN.password);
    const audit = (
      await sysadmin.get(`/api/v1/sysadmin/audit-log?restaurantId=${shop.cafe.restaurant.id}&limit=100`).expect(200)
    ).body.items as { action: string; targetId: string }[];
    expect(
      audit
        .filter((entry) => entry.targetId === id)
        .map((entry) => entry.action)
        .sort(),
    ).toEqual(['webhook.created', 'webhook.deleted', 'webhook.updated']);
    expect(JSON.stringify(audit)).not.toContain(created.body.secret);
    expect(JSON.stringify(audit)).not.toContain('whsec_');
  });

  it('is for owners only: managers, staff and API keys get 403', async () => {
    const shop = await seedShop(suite.app(), suite.server());
    const manager = await shop.owner
      .post('/api/v1/users', {
        email: `m.${Date.now()}@example.test`,
        name: 'Max',
        role: 'manager',
        password: TEST_PASSWORD,
      })
      .expect(201);
    const managerSession = await BrowserSession.login(suite.server(), manager.body.email as string, TEST_PASSWORD);
    const key = await shop.owner
      .post('/api/v1/api-keys', { name: 'POS', scopes: ['menu:read', 'orders:read', 'orders:write', 'reports:read'] })
      .expect(201);
    const body = { url: 'http://127.0.0.1:1/hooks', events: ['order.created'] };
    for (const session of [managerSession, shop.staff]) {
      expect((await session.get('/api/v1/webhooks')).status).toBe(403);
      expect((await session.post('/api/v1/webhooks', body)).status).toBe(403);
    }
    const integrator = bearer(suite.server(), key.body.key as string);
    expect((await integrator.get('/api/v1/webhooks')).status).toBe(403);
    expect((await integrator.post('/api/v1/webhooks', body)).status).toBe(403);
  });

  it("answers another restaurant's endpoint as 404 and never delivers it that restaurant's events", async () => {
    const [mine, theirs] = await Promise.all([
      seedShop(suite.app(), suite.server()),
      seedShop(suite.app(), suite.server()),
    ]);
    const theirReceiver = await receiver();
    const myReceiver = await receiver();
    const their = await endpointFor(theirs.owner, theirReceiver.url, ['order.created']);
    await endpointFor(mine.owner, myReceiver.url, ['order.created']);
    for (const res of [
      await mine.owner.get(`/api/v1/webhooks/${their.id}`),
      await mine.owner.patch(`/api/v1/webhooks/${their.id}`, { isEnabled: false }),
      await mine.owner.delete(`/api/v1/webhooks/${their.id}`),
      await mine.owner.get(`/api/v1/webhooks/${their.id}/deliveries`),
    ]) {
      expect([res.status, res.body.code]).toEqual([404, 'NOT_FOUND']);
    }
    expect((await mine.owner.get('/api/v1/webhooks').expect(200)).body.meta.total).toBe(1);

    const order = (await place(mine.staff, takeaway(mine)).expect(201)).body as { id: string };
    await receivedAtLeast(myReceiver, 1);
    expect((bodyOf(myReceiver, 0).data.order as { id: string }).id).toBe(order.id);
    // Their own order reaches them; mine never did.
    await place(theirs.staff, takeaway(theirs)).expect(201);
    await receivedAtLeast(theirReceiver, 1);
    expect(theirReceiver.received.map((r) => r.body).join('\n')).not.toContain(order.id);
  });

  it('delivers each event type, signed (Standard Webhooks), with the body { id, type, timestamp, data }', async () => {
    const shop = await seedShop(suite.app(), suite.server());
    const hook = await receiver();
    const { secret } = await endpointFor(shop.owner, hook.url);

    const order = (await place(shop.staff, takeaway(shop)).expect(201)).body as { id: string; version: number };
    await receivedAtLeast(hook, 1);
    await shop.staff.post(`/api/v1/orders/${order.id}/status`, { status: 'preparing' }).expect(200);
    await receivedAtLeast(hook, 2);
    await shop.owner.patch(`/api/v1/menu/items/${shop.cookie.id}/availability`, { isAvailable: false }).expect(200);
    await receivedAtLeast(hook, 3);
    await shop.owner.post('/api/v1/subscriptions/change-plan', { planCode: 'pro' }).expect(200);
    await receivedAtLeast(hook, 4);
    // Availability changed through a full item update is the same event; an update that keeps it is none.
    const cookie = (await shop.owner.get(`/api/v1/menu/items/${shop.cookie.id}`).expect(200)).body as {
      version: number;
    };
    await shop.owner
      .patch(`/api/v1/menu/items/${shop.cookie.id}`, { isAvailable: false, name: 'Cookie!', version: cookie.version })
      .expect(200);
    await shop.owner
      .patch(`/api/v1/menu/items/${shop.cookie.id}`, { isAvailable: true, version: cookie.version + 1 })
      .expect(200);
    await receivedAtLeast(hook, 5);

    const nowSeconds = Math.floor(Date.now() / 1000);
    for (const request of hook.received) {
      expect(request.headers['content-type']).toBe('application/json');
      expect(verifyStandardWebhook(secret, request.headers, request.body, nowSeconds)).toBe(true);
      // Any change to the body, or another secret, fails verification.
      expect(verifyStandardWebhook(secret, request.headers, `${request.body} `, nowSeconds)).toBe(false);
      expect(
        verifyStandardWebhook(
          'whsec_' + Buffer.alloc(32).toString('base64'),
          request.headers,
          request.body,
          nowSeconds,
        ),
      ).toBe(false);
      const body = JSON.parse(request.body) as Delivered;
      expect(Object.keys(body).sort()).toEqual(['data', 'id', 'timestamp', 'type']);
      expect(body.id).toBe(request.headers['webhook-id']);
      expect(new Date(body.timestamp).toISOString()).toBe(body.timestamp);
    }
    const [created, changed, eightySixed, subscription] = hook.received
      .slice(0, 4)
      .map((request) => JSON.parse(request.body) as Delivered);
    expect(created).toMatchObject({ type: 'order.created', data: { order: { id: order.id, status: 'pending' } } });
    expect(changed).toMatchObject({
      type: 'order.status_changed',
      data: { order: { id: order.id, status: 'preparing', version: order.version + 1 }, previousStatus: 'pending' },
    });
    expect(eightySixed).toMatchObject({
      type: 'menu.item_availability_changed',
      data: { item: { id: shop.cookie.id, isAvailable: false } },
    });
    expect(subscription).toMatchObject({
      type: 'subscription.changed',
      data: {
        subscription: { planCode: 'pro', status: 'active' },
        previous: { planCode: 'enterprise', status: 'trialing' },
        reason: 'plan_changed',
      },
    });
    expect(bodyOf(hook, 4)).toMatchObject({
      type: 'menu.item_availability_changed',
      data: { item: { id: shop.cookie.id, isAvailable: true, name: 'Cookie!' } },
    });
    expect(new Set(hook.received.map((request) => request.headers['webhook-id'])).size).toBe(5);

    const endpointId = (await shop.owner.get('/api/v1/webhooks').expect(200)).body.items[0].id as string;
    // The log row is written once the receiver's answer is in: wait for the last one.
    const entries = await eventually(async () => {
      const rows = await log(shop.owner, endpointId);
      return rows.length === 5 ? rows : undefined;
    });
    for (const entry of entries) {
      expect(entry).toMatchObject({ attempt: 1, succeeded: true, statusCode: 200, error: null, responseBody: 'ok' });
      expect(entry.durationMs).toBeGreaterThanOrEqual(0);
    }
  });

  it('only sends the event types an endpoint subscribed to', async () => {
    const shop = await seedShop(suite.app(), suite.server());
    const hook = await receiver();
    await endpointFor(shop.owner, hook.url, ['order.status_changed']);
    const order = (await place(shop.staff, takeaway(shop)).expect(201)).body as { id: string };
    await shop.staff.post(`/api/v1/orders/${order.id}/status`, { status: 'preparing' }).expect(200);
    await receivedAtLeast(hook, 1);
    // The later event is in; the earlier order.created never came.
    expect(hook.received.map((request) => (JSON.parse(request.body) as Delivered).type)).toEqual([
      'order.status_changed',
    ]);
  });

  it('never sends an event whose transaction rolled back: its outbox row never existed', async () => {
    const shop = await seedShop(suite.app(), suite.server());
    const hook = await receiver();
    await endpointFor(shop.owner, hook.url, ['order.created']);
    const events = suite.app().get(IntegrationEvents);
    const marker = `rolled-back-${Date.now()}`;
    // The port the features call, in a transaction that fails after the event was written.
    await expect(
      suite
        .app()
        .get(TransactionRunner)
        .run(async (manager) => {
          const tx = withManager(trustedTenantScope(shop.cafe.restaurant.id), manager);
          await events.record(tx, { type: 'order.created', data: { order: { id: marker } } });
          throw new Error('forced rollback');
        }),
    ).rejects.toThrow('forced rollback');
    const outbox = suite.app().get(DataSource).getRepository(OutboxEventEntity);
    expect(await outbox.countBy({ restaurantId: shop.cafe.restaurant.id })).toBe(0);

    // A committed event after it goes out; the rolled-back one never does.
    const order = (await place(shop.staff, takeaway(shop)).expect(201)).body as { id: string };
    await receivedAtLeast(hook, 1);
    expect(hook.received).toHaveLength(1);
    expect((bodyOf(hook, 0).data.order as { id: string }).id).toBe(order.id);
    expect(hook.received[0].body).not.toContain(marker);
    const rows = await outbox.findBy({ restaurantId: shop.cafe.restaurant.id });
    expect(rows.map((row) => row.type)).toEqual(['order.created']);
    expect(rows[0].payload).toContain(order.id);
  });

  it('refuses an invalid URL or event list with 422', async () => {
    const shop = await seedShop(suite.app(), suite.server());
    for (const body of [
      { url: 'ftp://example.com/hooks', events: ['order.created'] },
      { url: 'not a url', events: ['order.created'] },
      { url: 'https://user:pass@example.com/hooks', events: ['order.created'] },
      { url: 'https://example.com/hooks', events: [] },
      { url: 'https://example.com/hooks', events: ['order.deleted'] },
      { url: 'https://example.com/hooks', events: ['order.created'], restaurantId: shop.cafe.restaurant.id },
    ]) {
      const res = await shop.owner.post('/api/v1/webhooks', body);
      expect([JSON.stringify(body), res.status, res.body.code]).toEqual([
        JSON.stringify(body),
        422,
        'VALIDATION_FAILED',
      ]);
    }
  });
});
