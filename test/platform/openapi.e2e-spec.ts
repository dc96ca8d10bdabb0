import request from 'supertest';
import { startTestApi, type TestApi } from '../support/test-app';

interface Operation {
  responses?: Record<string, { content?: Record<string, unknown> }>;
  security?: unknown[];
}

describe('the OpenAPI document integrators build against', () => {
  let api: TestApi;
  let doc: {
    paths: Record<string, Record<string, Operation>>;
    components: { securitySchemes?: Record<string, unknown> };
  };

  beforeAll(async () => {
    api = await startTestApi();
    doc = (await request(api.server).get('/openapi.json').expect(200)).body;
  });

  afterAll(async () => {
    await api.close();
  });

  it('declares cookie, bearer JWT and API-key security schemes', () => {
    expect(doc.components.securitySchemes).toMatchObject({
      cookie: { type: 'apiKey', in: 'cookie', name: 'access_token' },
      bearer: { type: 'http', scheme: 'bearer' },
      'api-key': { type: 'http', scheme: 'bearer' },
    });
  });

  it('documents problem+json error responses on every operation', () => {
    const missing: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const errors = Object.entries(operation.responses ?? {}).filter(
          ([status, response]) => Number(status) >= 400 && response.content?.['application/problem+json'],
        );
        if (errors.length === 0) missing.push(`${method.toUpperCase()} ${path}`);
      }
    }
    expect(Object.keys(doc.paths).length).toBeGreaterThan(5);
    expect(missing).toEqual([]);
  });

  it('covers the auth, users, API-key and sysadmin routes under /api/v1', () => {
    for (const path of [
      '/api/v1/auth/login',
      '/api/v1/auth/refresh',
      '/api/v1/users',
      '/api/v1/users/{id}',
      '/api/v1/api-keys',
      '/api/v1/sysadmin/restaurants',
      '/api/v1/sysadmin/restaurants/{id}',
      '/api/v1/sysadmin/restaurants/{id}/plan',
      '/api/v1/sysadmin/stats',
      '/api/v1/sysadmin/audit-log',
      '/api/v1/sysadmin/jobs/failed',
    ]) {
      expect(doc.paths).toHaveProperty([path]);
    }
  });

  it('types every sysadmin answer, and says MRR is in minor units of USD', () => {
    const untyped: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      if (!path.startsWith('/api/v1/sysadmin/')) continue;
      for (const [method, operation] of Object.entries(methods)) {
        const success = Object.entries(operation.responses ?? {}).find(([status]) => /^2\d\d$/.test(status));
        if (!success?.[1].content?.['application/json']) untyped.push(`${method.toUpperCase()} ${path}`);
      }
    }
    expect(untyped).toEqual([]);
    const schemas = (
      doc.components as { schemas?: Record<string, { properties?: Record<string, { description?: string }> }> }
    ).schemas;
    expect(schemas?.PlatformStatsResponse?.properties?.mrr?.description).toMatch(/minor units of USD/);
  });
});
