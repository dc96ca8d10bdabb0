import { randomBytes } from 'node:crypto';
import {
  HostResolver,
  SystemHostResolver,
  WebhookTransport,
  type OutgoingWebhook,
  type ReceiverAnswer,
  type ResolvedAddress,
} from '@coffee/webhooks';
import { place, seedShop, takeaway } from '../factories/shop.factory';
import { FULL_MODE } from '../support/env';
import { eventually } from '../support/processes';
import { startTestApi, type TestApi } from '../support/test-app';

jest.setTimeout(120_000);

/** The connection step, replaced: any call is a request the SSRF guard should have stopped. */
class ForbiddenTransport extends WebhookTransport {
  readonly calls: OutgoingWebhook[] = [];
  post(webhook: OutgoingWebhook): Promise<ReceiverAnswer> {
    this.calls.push(webhook);
    return Promise.reject(new Error(`the transport was called for ${webhook.url.href} (${webhook.address.address})`));
  }
}

/**
 * The system resolver, except for names under `.rebind.test`: public the
 * first time (when the endpoint is saved), then the address in the name's
 * first label (DNS rebinding between the check at creation and the send).
 */
class RebindingResolver extends HostResolver {
  private readonly system = new SystemHostResolver();
  private readonly seen = new Set<string>();

  resolve(hostname: string): Promise<ResolvedAddress[]> {
    const rebind = /^([0-9-]+)\.rebind\.test$/.exec(hostname);
    if (!rebind) return this.system.resolve(hostname);
    const first = !this.seen.has(hostname);
    this.seen.add(hostname);
    return Promise.resolve([{ address: first ? '93.184.215.14' : rebind[1].replace(/-/g, '.'), family: 4 }]);
  }
}

describe('webhooks SSRF guard: private, loopback, link-local and metadata addresses are refused', () => {
  const transport = new ForbiddenTransport();
  let api: TestApi;

  beforeAll(async () => {
    // Full mode: a key prefix of its own and no worker. A worker here would relay every restaurant's
    // events with this suite's settings (private addresses refused) and take other suites' deliveries.
    api = await startTestApi(
      {
        WEBHOOK_ALLOW_PRIVATE: 'false',
        WEBHOOK_RETRY_DELAYS_MS: '50',
        ...(FULL_MODE ? { REDIS_KEY_PREFIX: `ssrf-${randomBytes(4).toString('hex')}` } : {}),
      },
      {
        overrides: [
          { provide: WebhookTransport, useValue: transport },
          { provide: HostResolver, useValue: new RebindingResolver() },
        ],
      },
    );
  });

  afterAll(async () => {
    await api?.close();
  });

  it.each([
    ['http://127.0.0.1:8080/hooks', 'loopback'],
    ['http://10.0.0.1/hooks', 'private'],
    ['http://169.254.169.254/latest/meta-data/', 'linkLocal'],
    ['http://[::1]/hooks', 'loopback'],
    ['http://[fd00:ec2::254]/hooks', 'uniqueLocal'],
    ['http://localhost:8080/hooks', 'loopback'],
  ])('refuses %s when the endpoint is saved (%s)', async (url, range) => {
    const shop = await seedShop(api.app, api.server);
    const res = await shop.owner.post('/api/v1/webhooks', { url, events: ['order.created'] });
    expect([res.status, res.body.code]).toEqual([422, 'VALIDATION_FAILED']);
    expect(res.body.errors[0].field).toBe('url');
    expect(res.body.errors[0].message).toContain(`${range} address`);
    expect((await shop.owner.get('/api/v1/webhooks').expect(200)).body.meta.total).toBe(0);
    expect(transport.calls).toEqual([]);
  });

  it('refuses a changed URL as well', async () => {
    const shop = await seedShop(api.app, api.server);
    const created = await shop.owner
      .post('/api/v1/webhooks', { url: 'http://8-8-8-8.rebind.test/hooks', events: ['order.created'] })
      .expect(201);
    const res = await shop.owner.patch(`/api/v1/webhooks/${created.body.id}`, { url: 'http://10.0.0.1/hooks' });
    expect([res.status, res.body.errors?.[0]?.field]).toEqual([422, 'url']);
  });

  // Deliveries run in this process in embedded mode only; in full mode they wait for a worker, and
  // a worker process cannot take the replaced transport and resolver.
  (FULL_MODE ? it.skip : it).each([
    ['127-0-0-1', 'loopback'],
    ['10-0-0-1', 'private'],
    ['169-254-169-254', 'linkLocal'],
  ])('checks again at send time: a host rebound to %s is refused before any connection (%s)', async (label, range) => {
    const shop = await seedShop(api.app, api.server);
    const created = await shop.owner
      .post('/api/v1/webhooks', { url: `http://${label}.rebind.test/hooks`, events: ['order.created'] })
      .expect(201);
    await place(shop.staff, takeaway(shop)).expect(201);
    const entries = await eventually(async () => {
      const rows = (await shop.owner.get(`/api/v1/webhooks/${created.body.id}/deliveries`).expect(200)).body.items as {
        attempt: number;
        succeeded: boolean;
        statusCode: number | null;
        error: string;
      }[];
      return rows.length === 2 ? rows : undefined;
    }, 200);
    for (const entry of entries) {
      expect(entry).toMatchObject({ succeeded: false, statusCode: null });
      expect(entry.error).toBe(
        `refused: ${label}.rebind.test resolves to a refused address (${label.replace(/-/g, '.')} is a ${range} address)`,
      );
    }
    expect(transport.calls).toEqual([]);
  });
});
