import { DataSource, IsNull } from 'typeorm';
import { OutboxEventEntity } from '@coffee/webhooks';
import { seedRestaurant, TEST_PASSWORD } from '../factories/restaurant.factory';
import { place, seedShop, takeaway, type Shop } from '../factories/shop.factory';
import { SYSADMIN } from '../support/env';
import { eventually } from '../support/processes';
import { BrowserSession } from '../support/session';
import { bodyOf, receivedAtLeast, useWebhookSuite } from './webhook-suite';

jest.setTimeout(120_000);

/** Failed deliveries: the retry schedule, redelivery on request, and an endpoint switched off after failing. */
describe('webhooks: retries, redelivery, auto-disable', () => {
  const suite = useWebhookSuite();
  const { receiver, endpointFor, log } = suite;

  it('retries a failing receiver with growing waits, then succeeds; the log shows every attempt', async () => {
    const shop = await seedShop(suite.app(), suite.server());
    const hook = await receiver();
    hook.failNext(500, 503);
    const endpoint = await endpointFor(shop.owner, hook.url, ['order.created']);
    await place(shop.staff, takeaway(shop)).expect(201);
    const [first, second, third] = await receivedAtLeast(hook, 3);
    // The same message every time: same id, same body, so the receiver can dedupe.
    expect(new Set([first, second, third].map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(new Set([first, second, third].map((r) => r.body)).size).toBe(1);
    // The schedule is 200 ms then 1 s: the second wait is the longer one.
    expect(third.at - second.at).toBeGreaterThan(second.at - first.at);

    const entries = await eventually(async () => {
      const rows = await log(shop.owner, endpoint.id);
      return rows.length === 3 ? rows : undefined;
    }, 100);
    expect(entries.map((e) => [e.attempt, e.succeeded, e.statusCode])).toEqual([
      [3, true, 200],
      [2, false, 503],
      [1, false, 500],
    ]);
    expect(entries[2]).toMatchObject({ error: 'the receiver answered 500', responseBody: 'nope 500' });
    expect((await shop.owner.get(`/api/v1/webhooks/${endpoint.id}`).expect(200)).body.consecutiveFailures).toBe(0);
  });

  it('redelivers a delivery on request, with the same event id', async () => {
    const shop = await seedShop(suite.app(), suite.server());
    const hook = await receiver();
    const endpoint = await endpointFor(shop.owner, hook.url, ['order.created']);
    await place(shop.staff, takeaway(shop)).expect(201);
    await receivedAtLeast(hook, 1);
    const [entry] = await eventually(async () => {
      const rows = await log(shop.owner, endpoint.id);
      return rows.length === 1 ? rows : undefined;
    });
    const res = await shop.owner
      .post(`/api/v1/webhooks/${endpoint.id}/deliveries/${entry.deliveryId}/redeliver`)
      .expect(202);
    expect(res.body).toEqual({ deliveryId: entry.deliveryId, attempt: 2 });
    await receivedAtLeast(hook, 2);
    expect(hook.received[1].headers['webhook-id']).toBe(hook.received[0].headers['webhook-id']);
    expect(hook.received[1].body).toBe(hook.received[0].body);
    const entries = await eventually(async () => {
      const rows = await log(shop.owner, endpoint.id);
      return rows.length === 2 ? rows : undefined;
    });
    expect(entries.map((e) => [e.deliveryId, e.attempt, e.succeeded])).toEqual([
      [entry.deliveryId, 2, true],
      [entry.deliveryId, 1, true],
    ]);
    // Another endpoint's id, or an unknown delivery: 404.
    const other = await seedRestaurant(suite.app());
    const otherOwner = await BrowserSession.login(suite.server(), other.owner.email, TEST_PASSWORD);
    expect(
      (await otherOwner.post(`/api/v1/webhooks/${endpoint.id}/deliveries/${entry.deliveryId}/redeliver`)).status,
    ).toBe(404);
  });

  it('disables an endpoint after consecutive failed deliveries, audits it, and sends it nothing more', async () => {
    const shop: Shop = await seedShop(suite.app(), suite.server());
    const hook = await receiver();
    hook.always(500);
    const endpoint = await endpointFor(shop.owner, hook.url, ['order.created']);
    await place(shop.staff, takeaway(shop)).expect(201);
    await place(shop.staff, takeaway(shop)).expect(201);
    const disabled = await eventually(async () => {
      const res = await shop.owner.get(`/api/v1/webhooks/${endpoint.id}`).expect(200);
      return res.body.isEnabled === false
        ? (res.body as { disabledReason: string; consecutiveFailures: number })
        : undefined;
    }, 300);
    expect(disabled).toMatchObject({ disabledReason: '2 deliveries in a row failed', consecutiveFailures: 2 });
    // Two deliveries, three attempts each.
    expect(hook.received).toHaveLength(6);

    const sysadmin = await BrowserSession.login(suite.server(), SYSADMIN.email, SYSADMIN.password);
    const audit = (
      await sysadmin
        .get(`/api/v1/sysadmin/audit-log?restaurantId=${shop.cafe.restaurant.id}&action=webhook.disabled`)
        .expect(200)
    ).body.items as { targetId: string; actorRole: string; after: unknown }[];
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ targetId: endpoint.id, actorRole: 'system' });

    // A redelivery needs the endpoint enabled first.
    const [entry] = await log(shop.owner, endpoint.id);
    const refused = await shop.owner.post(`/api/v1/webhooks/${endpoint.id}/deliveries/${entry.deliveryId}/redeliver`);
    expect([refused.status, refused.body.code]).toEqual([409, 'CONFLICT']);

    // Events while disabled are not sent (once relayed, they have no delivery); a later order after re-enabling is.
    await place(shop.staff, takeaway(shop)).expect(201);
    const outbox = suite.app().get(DataSource).getRepository(OutboxEventEntity);
    await eventually(async () =>
      (await outbox.countBy({ restaurantId: shop.cafe.restaurant.id, relayedAt: IsNull() })) === 0 ? true : undefined,
    );
    hook.always(null);
    await shop.owner.patch(`/api/v1/webhooks/${endpoint.id}`, { isEnabled: true }).expect(200);
    const after = (await place(shop.staff, takeaway(shop)).expect(201)).body as { id: string };
    await receivedAtLeast(hook, 7);
    expect((bodyOf(hook, 6).data.order as { id: string }).id).toBe(after.id);
    expect((await shop.owner.get(`/api/v1/webhooks/${endpoint.id}`).expect(200)).body).toMatchObject({
      isEnabled: true,
      disabledReason: null,
      consecutiveFailures: 0,
    });
  });
});
