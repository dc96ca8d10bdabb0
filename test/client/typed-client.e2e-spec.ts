import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { SYSADMIN } from '../support/env';
import { eventually } from '../support/processes';
import { startWebhookReceiver, verifyStandardWebhook, type WebhookReceiver } from '../support/webhook-receiver';
import { startWebhookStack, type WebhookStack } from '../webhooks/webhook-stack';
import type { components, paths } from './schema';

type Api = Client<paths>;
type Order = components['schemas']['OrderResponse'];

/**
 * A browser-like session for openapi-fetch: keeps the cookies the API sets and
 * sends the CSRF token (the `csrf_token` cookie) on every unsafe request.
 */
function cookieSession(): Middleware {
  const jar = new Map<string, string>();
  return {
    onRequest({ request }) {
      if (jar.size > 0) request.headers.set('cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '));
      const csrf = jar.get('csrf_token');
      if (csrf !== undefined && !['GET', 'HEAD'].includes(request.method)) request.headers.set('x-csrf-token', csrf);
      return request;
    },
    onResponse({ response }) {
      for (const line of response.headers.getSetCookie()) {
        const [pair = ''] = line.split(';');
        const eq = pair.indexOf('=');
        const value = decodeURIComponent(pair.slice(eq + 1));
        if (value === '' || /max-age=0/i.test(line)) jar.delete(pair.slice(0, eq));
        else jar.set(pair.slice(0, eq), value);
      }
      return response;
    },
  };
}

/** Fails with the problem+json body when a call did not succeed, else gives its data. */
function ok<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data === undefined) {
    throw new Error(`${result.response.status} ${result.response.url}: ${JSON.stringify(result.error)}`);
  }
  return result.data;
}

/**
 * An integrator's journey through a client generated from docs/openapi.json
 * (openapi-typescript types + openapi-fetch), over HTTP against a listening
 * server: every path, parameter and body below is checked by `npm run
 * typecheck` against the committed types, so a contract change that breaks a
 * client breaks this file.
 */
describe('a typed client generated from docs/openapi.json', () => {
  let stack: WebhookStack;
  let receiver: WebhookReceiver;
  let baseUrl: string;

  beforeAll(async () => {
    // The API (and in full mode a worker, which sends the webhooks) allowed to deliver to 127.0.0.1.
    stack = await startWebhookStack({ WEBHOOK_ALLOW_PRIVATE: 'true' });
    await stack.api.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(stack.api.app.getHttpServer().address() as AddressInfo).port}`;
    receiver = await startWebhookReceiver();
  });

  afterAll(async () => {
    await receiver?.close();
    await stack?.close();
  });

  const sessionClient = async (email: string, password: string): Promise<Api> => {
    const client = createClient<paths>({ baseUrl });
    client.use(cookieSession());
    const session = ok(await client.POST('/api/v1/auth/login', { body: { email, password } }));
    expect(session.csrfToken).toEqual(expect.any(String));
    return client;
  };

  it('runs a restaurant from creation to a paid order on the dashboard', async () => {
    // A sysadmin creates the restaurant and its owner.
    const sysadmin = await sessionClient(SYSADMIN.email, SYSADMIN.password);
    const suffix = randomUUID().slice(0, 8);
    const owner = { email: `owner-${suffix}@typed-client.test`, name: 'Olivia Owner', password: 'typed-client-Pass-1' };
    const created = ok(
      await sysadmin.POST('/api/v1/sysadmin/restaurants', {
        body: {
          name: 'Typed Client Café',
          slug: `typed-${suffix}`,
          currency: 'USD',
          timezone: 'America/Bogota',
          planCode: 'pro',
          owner,
        },
      }),
    );
    expect(created.owner.role).toBe('owner');

    // The owner signs in (cookie session: the middleware sends the CSRF header on writes).
    const ownerClient = await sessionClient(owner.email, owner.password);
    const me = ok(await ownerClient.GET('/api/v1/auth/me'));
    expect(me.restaurantId).toBe(created.restaurant.id);

    // A menu with a modifier group.
    const drinks = ok(await ownerClient.POST('/api/v1/menu/categories', { body: { name: 'Drinks' } }));
    const latte = ok(
      await ownerClient.POST('/api/v1/menu/items', {
        body: {
          categoryId: drinks.id,
          name: 'Latte',
          price: 450,
          taxRateBps: 1900,
          modifierGroups: [
            {
              name: 'Milk',
              minSelect: 0,
              maxSelect: 1,
              options: [
                { name: 'Oat', priceDelta: 60 },
                { name: 'Almond', priceDelta: 60 },
              ],
            },
          ],
        },
      }),
    );
    const oat = latte.modifierGroups[0]?.options.find((option) => option.name === 'Oat');
    expect(oat).toBeDefined();

    // An API key for the integrator's POS.
    const key = ok(
      await ownerClient.POST('/api/v1/api-keys', {
        body: { name: 'Front counter POS', scopes: ['menu:read', 'orders:read', 'orders:write'] },
      }),
    );
    expect(key.key).toMatch(/^ck_live_/);

    // The integrator's endpoint for order status changes; its signing secret is shown this once.
    const endpoint = ok(
      await ownerClient.POST('/api/v1/webhooks', {
        body: { url: receiver.url, events: ['order.status_changed'], description: 'POS back office' },
      }),
    );
    expect(endpoint.secret).toMatch(/^whsec_/);

    // The POS places an order with the key and an Idempotency-Key, then retries it.
    const pos = createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${key.key}` } });
    const idempotencyKey = `pos-${randomUUID()}`;
    const placeOrder = () =>
      pos.POST('/api/v1/orders', {
        params: { header: { 'Idempotency-Key': idempotencyKey } },
        body: {
          type: 'takeaway',
          customerName: 'Ana',
          items: [{ menuItemId: latte.id, quantity: 2, modifierOptionIds: [oat!.id] }],
        },
      });
    const first = await placeOrder();
    expect(first.response.status).toBe(201);
    const order = ok(first);
    // (450 + 60 oat) × 2; tax 19% of 1020 = 193.8, rounded half up.
    expect(order).toMatchObject({ status: 'pending', subtotal: 1020, tax: 194, total: 1214 });

    const replay = await placeOrder();
    expect(replay.response.status).toBe(200);
    expect(ok(replay).id).toBe(order.id);
    const listed = ok(await pos.GET('/api/v1/orders', { params: { query: { limit: 10 } } }));
    expect(listed.items.map((each) => each.id)).toEqual([order.id]);

    // Through the kitchen to paid.
    let current: Order = order;
    for (const status of ['preparing', 'ready'] as const) {
      current = ok(
        await pos.POST('/api/v1/orders/{id}/status', {
          params: { path: { id: order.id } },
          body: { status, version: current.version },
        }),
      );
    }
    current = ok(
      await pos.POST('/api/v1/orders/{id}/status', {
        params: { path: { id: order.id } },
        body: { status: 'paid', paymentMethod: 'card', tip: 100, version: current.version },
      }),
    );
    expect(current).toMatchObject({ status: 'paid', paymentMethod: 'card', tip: 100, total: 1314 });

    // The owner's dashboard counts it (net sales: no tax, no tip).
    const dashboard = ok(await ownerClient.GET('/api/v1/reports/dashboard'));
    expect(dashboard).toMatchObject({ orders: 1, revenue: 1020, tax: 194, tips: 100, averageTicket: 1020 });
    expect(dashboard.topItems).toEqual([expect.objectContaining({ menuItemId: latte.id, quantity: 2 })]);

    // The endpoint receives the payment, signed with its secret (checked by the test's own verifier).
    const paid = await eventually(() =>
      Promise.resolve(
        receiver.received.find((request) => {
          const event = JSON.parse(request.body) as { data: { order: Order } };
          return event.data.order.status === 'paid';
        }),
      ),
    );
    expect(verifyStandardWebhook(endpoint.secret, paid.headers, paid.body, Math.floor(Date.now() / 1000))).toBe(true);
    expect(JSON.parse(paid.body)).toMatchObject({
      type: 'order.status_changed',
      data: { order: { id: order.id, status: 'paid', total: 1314 }, previousStatus: 'ready' },
    });
    // Its delivery log records the answer (written once the receiver has answered).
    await eventually(async () => {
      const log = ok(
        await ownerClient.GET('/api/v1/webhooks/{id}/deliveries', { params: { path: { id: endpoint.id } } }),
      );
      return log.items.some((attempt) => attempt.statusCode === 200) ? true : undefined;
    });
  });
});
