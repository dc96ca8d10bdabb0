import request from 'supertest';
import { ProbeController } from '../support/probe.controller';
import { startTestApi, type TestApi } from '../support/test-app';

const PROBLEM = /^application\/problem\+json/;

function expectProblem(body: Record<string, unknown>, status: number, code: string, instance: string): void {
  expect(body).toMatchObject({
    status,
    code,
    instance,
    type: expect.stringMatching(/^https:\/\//),
    title: expect.any(String),
  });
  expect(typeof body.detail).toBe('string');
  expect(typeof body.requestId).toBe('string');
}

describe('HTTP pipeline (errors, request ids, headers, CORS)', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi({}, { controllers: [ProbeController] });
  });

  afterAll(async () => {
    await api.close();
  });

  describe('problem+json', () => {
    it('404 for an unknown route', async () => {
      const res = await request(api.server).get('/api/v1/does-not-exist').expect(404);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expectProblem(res.body, 404, 'NOT_FOUND', '/api/v1/does-not-exist');
    });

    it('400 for malformed JSON', async () => {
      const res = await request(api.server)
        .post('/api/v1/test-probe/echo')
        .set('content-type', 'application/json')
        .send('{"name": "latte",')
        .expect(400);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expectProblem(res.body, 400, 'BAD_REQUEST', '/api/v1/test-probe/echo');
    });

    it('415 for a body that is not JSON', async () => {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
        const res = await request(api.server)
          .post('/api/v1/test-probe/echo')
          .set('content-type', type)
          .send('name=latte');
        expect(res.status).toBe(415);
        expect(res.headers['content-type']).toMatch(PROBLEM);
        expectProblem(res.body, 415, 'UNSUPPORTED_MEDIA_TYPE', '/api/v1/test-probe/echo');
      }
    });

    it('413 for a body over 1 MiB, while one just under the limit reaches validation', async () => {
      const big = JSON.stringify({ name: 'x'.repeat(1024 * 1024), price: 1 });
      const res = await request(api.server)
        .post('/api/v1/test-probe/echo')
        .set('content-type', 'application/json')
        .send(big);
      expect(res.status).toBe(413);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expectProblem(res.body, 413, 'PAYLOAD_TOO_LARGE', '/api/v1/test-probe/echo');

      const underLimit = JSON.stringify({ name: 'x'.repeat(1024 * 1024 - 100), price: 0 });
      await request(api.server)
        .post('/api/v1/test-probe/echo')
        .set('content-type', 'application/json')
        .send(underLimit)
        .expect(422);
    });

    it('422 with every invalid field named, including nested paths', async () => {
      const res = await request(api.server)
        .post('/api/v1/test-probe/echo')
        .send({
          name: '',
          price: 4.5,
          items: [
            { menuItemId: 'a', quantity: 1 },
            { menuItemId: 7, quantity: 0 },
          ],
        })
        .expect(422);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expectProblem(res.body, 422, 'VALIDATION_FAILED', '/api/v1/test-probe/echo');
      const fields = (res.body.errors as { field: string }[]).map((e) => e.field).sort();
      expect(fields).toEqual(['items[1].menuItemId', 'items[1].quantity', 'name', 'price']);
      expect(res.body.detail).toBe('4 fields are invalid');
    });

    it('422 for unknown properties: no mass assignment', async () => {
      const res = await request(api.server)
        .post('/api/v1/test-probe/echo')
        .send({ name: 'latte', price: 450, restaurantId: 'r-1', role: 'owner' })
        .expect(422);
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          { field: 'restaurantId', message: expect.stringContaining('should not exist') },
          { field: 'role', message: expect.stringContaining('should not exist') },
        ]),
      );
    });

    it('accepts a valid body', async () => {
      const res = await request(api.server)
        .post('/api/v1/test-probe/echo')
        .send({ name: 'latte', price: 450 })
        .expect(201);
      expect(res.body).toEqual({ name: 'latte', price: 450, items: [] });
    });

    it('500 with no internals for an unexpected error', async () => {
      const res = await request(api.server).get('/api/v1/test-probe/boom').expect(500);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expectProblem(res.body, 500, 'INTERNAL', '/api/v1/test-probe/boom');
      const text = JSON.stringify(res.body);
      for (const leak of ['SELECT', 'password', 'orders.service', 'ER_PARSE', 'stack'])
        expect(text).not.toContain(leak);
    });
  });

  describe('request ids', () => {
    it('keeps a well-formed incoming X-Request-Id, in the header and in error bodies', async () => {
      const res = await request(api.server).get('/api/v1/nope').set('X-Request-Id', 'pos-42.retry_1').expect(404);
      expect(res.headers['x-request-id']).toBe('pos-42.retry_1');
      expect(res.body.requestId).toBe('pos-42.retry_1');
    });

    it('generates one when absent or malformed', async () => {
      const a = await request(api.server).get('/health/live').expect(200);
      expect(a.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      const b = await request(api.server).get('/health/live').set('X-Request-Id', 'bad id; drop table').expect(200);
      expect(b.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      const c = await request(api.server).get('/health/live').set('X-Request-Id', 'x'.repeat(129)).expect(200);
      expect(c.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
    });
  });

  describe('security headers', () => {
    it('sends helmet headers and no X-Powered-By on success and error responses', async () => {
      for (const path of ['/health/live', '/api/v1/nope']) {
        const res = await request(api.server).get(path);
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['x-frame-options']).toBeDefined();
        expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
        expect(res.headers['x-powered-by']).toBeUndefined();
      }
    });
  });

  describe('CORS', () => {
    it('echoes an allowed origin with credentials', async () => {
      const res = await request(api.server)
        .options('/api/v1/test-probe/echo')
        .set('Origin', 'https://admin.example.test')
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'content-type,x-csrf-token');
      expect(res.status).toBeLessThan(300);
      expect(res.headers['access-control-allow-origin']).toBe('https://admin.example.test');
      expect(res.headers['access-control-allow-credentials']).toBe('true');
      const simple = await request(api.server).get('/health/live').set('Origin', 'https://admin.example.test');
      expect(simple.headers['access-control-allow-origin']).toBe('https://admin.example.test');
      expect(simple.headers['access-control-expose-headers']).toContain('x-request-id');
    });

    it('gives a foreign origin no CORS headers, never *', async () => {
      const res = await request(api.server)
        .options('/api/v1/test-probe/echo')
        .set('Origin', 'https://evil.example.test')
        .set('Access-Control-Request-Method', 'POST');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      const simple = await request(api.server).get('/health/live').set('Origin', 'https://evil.example.test');
      expect(simple.headers['access-control-allow-origin']).toBeUndefined();
    });
  });

  describe('operations endpoints', () => {
    it('serves liveness, readiness and the full health report', async () => {
      await request(api.server).get('/health/live').expect(200, { status: 'ok' });
      const ready = await request(api.server).get('/health/ready').expect(200);
      expect(ready.body).toMatchObject({ status: 'ok', details: { database: { status: 'up' } } });
      const health = await request(api.server).get('/health').expect(200);
      expect(health.body.details.app).toMatchObject({ status: 'up', version: expect.any(String) });
      expect(typeof health.body.details.app.uptimeSeconds).toBe('number');
    });

    it('serves Prometheus metrics with the route template as label', async () => {
      await request(api.server).get('/api/v1/nope').expect(404);
      await request(api.server).get('/health/live').expect(200);
      const res = await request(api.server).get('/metrics').expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.text).toContain('http_request_duration_seconds_bucket');
      expect(res.text).toMatch(
        /http_request_duration_seconds_count\{method="GET",route="\/health\/live",status_code="200"\}/,
      );
      expect(res.text).toContain('process_cpu_user_seconds_total');
      expect(res.text).toContain('nodejs_heap_size_used_bytes');
      // Present whether or not the scrape's Redis read answered in time (then flagged stale).
      expect(res.text).toMatch(/queue_depth\{queue="maintenance"\} \d+/);
      expect(res.text).toMatch(/queue_depth_stale\{queue="maintenance"\} [01]/);
    });

    it('serves the OpenAPI document and Swagger UI', async () => {
      const doc = await request(api.server).get('/openapi.json').expect(200);
      expect(doc.body.openapi).toMatch(/^3\./);
      expect(doc.body.info.title).toBe('Coffee Shop Admin API');
      const ui = await request(api.server).get('/docs').expect(200);
      expect(ui.text).toContain('swagger');
    });
  });
});
