import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { startTestApi, type TestApi } from '../support/test-app';

interface Operation {
  operationId?: string;
  summary?: string;
  tags?: string[];
  responses?: Record<string, { content?: Record<string, unknown> }>;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean }[];
}

const operationsOf = (paths: Record<string, Record<string, Operation>>): [string, Operation][] =>
  Object.entries(paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]): [string, Operation] => [
      `${method.toUpperCase()} ${path}`,
      operation,
    ]),
  );

describe('the OpenAPI document integrators build against', () => {
  let api: TestApi;
  let doc: {
    info: { version: string };
    tags?: { name: string }[];
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

  it('is the committed docs/openapi.json (npm run openapi regenerates it)', () => {
    const committed = JSON.parse(readFileSync(join(__dirname, '../../docs/openapi.json'), 'utf8')) as typeof doc;
    // The served version is the running release's (APP_VERSION may set it); the rest is the same document.
    expect({ ...doc, info: { ...doc.info, version: committed.info.version } }).toEqual(committed);
  });

  it('gives every operation a unique camelCase operationId, a summary and a declared tag', () => {
    const operations = operationsOf(doc.paths);
    const declaredTags = new Set((doc.tags ?? []).map((tag) => tag.name));
    const faults = operations.flatMap(([name, operation]) => [
      ...(/^[a-z][a-zA-Z0-9]*$/.test(operation.operationId ?? '') ? [] : [`${name}: operationId`]),
      ...(operation.summary ? [] : [`${name}: summary`]),
      ...(operation.tags?.length === 1 && declaredTags.has(operation.tags[0]) ? [] : [`${name}: tag`]),
    ]);
    expect(faults).toEqual([]);
    const ids = operations.map(([, operation]) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('states the security of every operation: none on public routes, the API key only where scopes allow it', () => {
    const security = Object.fromEntries(
      operationsOf(doc.paths).map(([name, operation]) => [
        name,
        operation.security?.flatMap((requirement) => Object.keys(requirement)).sort(),
      ]),
    );
    expect(Object.entries(security).filter(([, schemes]) => schemes === undefined)).toEqual([]);
    for (const route of [
      'POST /api/v1/auth/login',
      'POST /api/v1/auth/refresh',
      'GET /api/v1/subscriptions/plans',
      'GET /api/v1/public/restaurants/{slug}/menu',
    ]) {
      expect([route, security[route]]).toEqual([route, []]);
    }
    expect(security['POST /api/v1/orders']).toEqual(['api-key', 'bearer', 'cookie']);
    expect(security['POST /api/v1/menu/items']).toEqual(['bearer', 'cookie']);
    expect(security['GET /api/v1/auth/me']).toEqual(['bearer', 'cookie']);
  });

  it('documents the Idempotency-Key on order placement and the CSRF header on cookie writes', () => {
    const place = doc.paths['/api/v1/orders'].post;
    expect(place.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true }),
        expect.objectContaining({ name: 'X-CSRF-Token', in: 'header', required: false }),
      ]),
    );
    expect(doc.paths['/api/v1/orders'].get.parameters?.map((parameter) => parameter.name)).not.toContain(
      'X-CSRF-Token',
    );
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
