import request from 'supertest';
import { startTestApi, type TestApi } from '../support/test-app';

describe('GET /api/v1/subscriptions/plans', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });

  afterAll(async () => {
    await api.close();
  });

  it('lists the seeded plans, cheapest first, without authentication', async () => {
    const response = await request(api.server).get('/api/v1/subscriptions/plans').expect(200);
    expect(response.body).toEqual({
      items: [
        {
          code: 'free',
          name: 'Free',
          priceMonthly: 0,
          currency: 'USD',
          limits: { maxUsers: 3, maxMenuItems: 50, maxOrdersPerMonth: 500, maxApiKeys: 1 },
          features: [],
        },
        {
          code: 'pro',
          name: 'Pro',
          priceMonthly: 2900,
          currency: 'USD',
          limits: { maxUsers: 20, maxMenuItems: 500, maxOrdersPerMonth: 10000, maxApiKeys: 5 },
          features: ['reports', 'api_keys', 'webhooks'],
        },
        {
          code: 'enterprise',
          name: 'Enterprise',
          priceMonthly: 9900,
          currency: 'USD',
          limits: { maxUsers: null, maxMenuItems: null, maxOrdersPerMonth: null, maxApiKeys: null },
          features: ['reports', 'api_keys', 'webhooks', 'priority_support'],
        },
      ],
    });
  });

  it('is documented as a public operation under the subscriptions tag', async () => {
    const doc = (await request(api.server).get('/openapi.json').expect(200)).body as {
      paths: Record<string, Record<string, { tags?: string[]; security?: unknown[]; responses: object }>>;
    };
    const operation = doc.paths['/api/v1/subscriptions/plans']?.get;
    expect(operation).toBeDefined();
    expect(operation?.tags).toEqual(['subscriptions']);
    expect(operation?.security ?? []).toEqual([]);
    expect(operation?.responses).toHaveProperty(['200']);
  });
});
