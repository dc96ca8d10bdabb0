import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import request, { type Response } from 'supertest';
import { Public } from '@coffee/common';
import { signedInCrew, type Crew } from '../factories/crew.factory';
import { startTestApi, type TestApi } from '../support/test-app';

const PROBLEM = /^application\/problem\+json/;

/** Routes without a DTO: the body reaches the handler exactly as the parsing limits leave it. */
@Public()
@Controller('parsing-probe')
class ParsingProbeController {
  @Post('any')
  any(@Body() body: unknown): { received: string } {
    return { received: typeof body };
  }

  @Get('headers')
  headers(@Query() query: Record<string, unknown>): Record<string, unknown> {
    return query;
  }
}

/** `{"f00000":"",…}`: `count` unknown keys (75,000 make ~0.9 MB). */
function keysBody(count: number): string {
  return `{${Array.from({ length: count }, (_, i) => `"f${String(i).padStart(5, '0')}":""`).join(',')}}`;
}

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

function postJson(api: TestApi, path: string, text: string) {
  return request(api.server).post(path).set('content-type', 'application/json').send(text);
}

function expectShapeRefusal(res: Response, field: string, message: RegExp): void {
  expect(res.status).toBe(422);
  expect(res.headers['content-type']).toMatch(PROBLEM);
  expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', status: 422 });
  expect(res.body.detail).toMatch(/at most 1000 properties per object, 1000 items per array, 10 levels of nesting/);
  expect(res.body.errors).toEqual([{ field, message: expect.stringMatching(message) }]);
}

describe('request parsing limits', () => {
  let api: TestApi;
  let crew: Crew;

  beforeAll(async () => {
    api = await startTestApi({}, { controllers: [ParsingProbeController] });
    crew = await signedInCrew(api.app, api.server);
  });

  afterAll(async () => {
    await api.close();
  });

  describe('a flood of unknown keys (issue row 1)', () => {
    const flood = keysBody(75_000);

    it('sign-in refuses the 0.9 MB body with a small 413, before reading it', async () => {
      expect(flood.length).toBeGreaterThan(850_000);
      const res = await postJson(api, '/api/v1/auth/login', flood);
      expect(res.status).toBe(413);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', instance: '/api/v1/auth/login' });
      expect(res.body.detail).toContain('16 KiB');
      expect(res.text.length).toBeLessThan(1024);
    });

    it('another route answers a small 422 naming the body, with at most 50 errors', async () => {
      const res = await crew.owner
        .write('post', '/api/v1/menu/categories')
        .set('content-type', 'application/json')
        .send(flood);
      expectShapeRefusal(res, 'body', /more than 1000 properties/);
      expect(res.body.errors.length).toBeLessThanOrEqual(50);
      expect(res.text.length).toBeLessThan(1024);
    });
  });

  describe('body shape: 1,000 properties, 1,000 items, depth 10', () => {
    it('accepts an object of 1,000 properties, refuses 1,001', async () => {
      await postJson(api, '/api/v1/parsing-probe/any', keysBody(1000)).expect(201, { received: 'object' });
      expectShapeRefusal(
        await postJson(api, '/api/v1/parsing-probe/any', keysBody(1001)),
        'body',
        /more than 1000 properties/,
      );
    });

    it('accepts an array of 1,000 items, refuses 1,001, naming it', async () => {
      const body = (n: number) => JSON.stringify({ lines: [{ tags: new Array(n).fill(1) }] });
      await postJson(api, '/api/v1/parsing-probe/any', body(1000)).expect(201);
      expectShapeRefusal(
        await postJson(api, '/api/v1/parsing-probe/any', body(1001)),
        'lines[0].tags',
        /more than 1000 items/,
      );
    });

    it('accepts 10 levels of nesting, refuses 11', async () => {
      await postJson(api, '/api/v1/parsing-probe/any', JSON.stringify(nested(10))).expect(201);
      expectShapeRefusal(
        await postJson(api, '/api/v1/parsing-probe/any', JSON.stringify(nested(11))),
        'a.a.a.a.a.a.a.a.a.a',
        /deeper than 10 levels/,
      );
    });

    it('refuses more than 10,000 properties and items in all, which class-validator would each walk', async () => {
      const lines = Array.from({ length: 1000 }, () =>
        JSON.stringify({ menuItemId: 'x', quantity: 1, a: 0, b: 0, c: 0, d: 0, e: 0, f: 0, g: 0, h: 0 }),
      );
      const res = await postJson(api, '/api/v1/parsing-probe/any', `{"items":[${lines.join(',')}]}`);
      expectShapeRefusal(res, 'body', /more than 10000 properties and items in all/);
    });

    it('refuses a deeply nested body without exhausting the stack', async () => {
      const res = await postJson(api, '/api/v1/parsing-probe/any', '['.repeat(200_000) + ']'.repeat(200_000));
      expectShapeRefusal(res, `body${'[0]'.repeat(10)}`, /deeper than 10 levels/);
    });
  });

  describe('body size', () => {
    it('/api/v1/auth/** accepts 16 KiB and refuses one byte more', async () => {
      const body = (size: number) => {
        const shell = JSON.stringify({ email: 'a@example.test', password: '' });
        return JSON.stringify({ email: 'a@example.test', password: 'x'.repeat(size - shell.length) });
      };
      expect(body(16 * 1024).length).toBe(16 * 1024);
      // Within the limit, the body reaches validation (the password is over 1024 characters).
      await postJson(api, '/api/v1/auth/login', body(16 * 1024)).expect(422);
      const res = await postJson(api, '/api/v1/auth/login', body(16 * 1024 + 1));
      expect(res.status).toBe(413);
      expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('other routes keep the 1 MiB limit', async () => {
      const body = (size: number) => `{"a":"${'x'.repeat(size - 8)}"}`;
      await postJson(api, '/api/v1/parsing-probe/any', body(1024 * 1024)).expect(201);
      const res = await postJson(api, '/api/v1/parsing-probe/any', body(1024 * 1024 + 1));
      expect(res.status).toBe(413);
      expect(res.body.detail).toContain('1 MiB');
    });
  });

  describe('well-formed text', () => {
    it('422 for a lone surrogate in a body value, naming the field', async () => {
      const res = await crew.owner
        .write('post', '/api/v1/menu/categories')
        .set('content-type', 'application/json')
        .send('{"name":"Caf\\ud800"}');
      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.errors).toEqual([{ field: 'name', message: expect.stringContaining('lone surrogate') }]);
      await crew.owner.post('/api/v1/menu/categories', { name: 'Café ☕ 🥐' }).expect(201);
    });

    it('422 for a lone surrogate in a nested value or in a property name', async () => {
      const nestedValue = await postJson(api, '/api/v1/parsing-probe/any', '{"a":[{"b":"\\udc00"}]}');
      expect(nestedValue.status).toBe(422);
      expect(nestedValue.body.errors[0].field).toBe('a[0].b');
      const key = await postJson(api, '/api/v1/parsing-probe/any', '{"\\ud83e":1}');
      expect(key.status).toBe(422);
      expect(key.body.errors[0].message).toContain('lone surrogate');
    });

    it('422 for a query value that encodes a lone surrogate, naming the parameter', async () => {
      const res = await crew.owner.get('/api/v1/menu/items?q=%ED%A0%80');
      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.errors).toEqual([{ field: 'q', message: expect.stringContaining('UTF-8') }]);
      await crew.owner.get('/api/v1/menu/items?q=caf%C3%A9').expect(200);
    });
  });

  describe('errors[] in a 422', () => {
    it('lists at most 50 entries and gives the total in detail', async () => {
      const res = await crew.owner
        .write('post', '/api/v1/menu/categories')
        .set('content-type', 'application/json')
        .send(keysBody(1000));
      expect(res.status).toBe(422);
      expect(res.body.errors).toHaveLength(50);
      expect(res.body.detail).toMatch(/^10\d\d fields are invalid; the first 50 are listed$/);
    });
  });

  describe('pagination query', () => {
    it.each(['/api/v1/tables', '/api/v1/orders'])('%s: offset is an integer from 0 to 10,000', async (path) => {
      await crew.owner.get(`${path}?offset=10000`).expect(200);
      const deep = await crew.owner.get(`${path}?offset=10001`);
      expect(deep.status).toBe(422);
      expect(deep.body.errors).toEqual([{ field: 'offset', message: expect.stringContaining('cursor') }]);
      for (const offset of ['1e21', '-1', '1.5', '0x10', '', '1&offset=2', '99999999999999999999999']) {
        const res = await crew.owner.get(`${path}?offset=${offset}`);
        expect({ offset, status: res.status, field: res.body.errors?.[0]?.field }).toEqual({
          offset,
          status: 422,
          field: 'offset',
        });
        expect(res.headers['content-type']).toMatch(PROBLEM);
      }
    });

    it.each(['/api/v1/tables', '/api/v1/orders'])('%s: limit is an integer from 1 to 100', async (path) => {
      const ok = await crew.owner.get(`${path}?limit=100&offset=0`).expect(200);
      expect(ok.body.meta).toMatchObject({ limit: 100, offset: 0 });
      for (const limit of ['0', '101', '1e2', '2.5', '-5', '5&limit=6', 'ten']) {
        const res = await crew.owner.get(`${path}?limit=${limit}`);
        expect({ limit, status: res.status, field: res.body.errors?.[0]?.field }).toEqual({
          limit,
          status: 422,
          field: 'limit',
        });
      }
    });

    it('sort must be one name, not a repeated parameter', async () => {
      const res = await crew.owner.get('/api/v1/tables?sort=label&sort=-label');
      expect(res.status).toBe(422);
      expect(res.body.errors[0].field).toBe('sort');
    });
  });
});

const ORIGIN = 'https://admin.example.test';

/** Checks that every header of `res` matching `pattern` is listed in Access-Control-Expose-Headers; returns them. */
function expectExposed(res: Response, pattern: RegExp): string[] {
  expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
  const exposed = String(res.headers['access-control-expose-headers'] ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase());
  const sent = Object.keys(res.headers).filter((name) => pattern.test(name));
  for (const name of sent) expect({ name, exposed: exposed.includes(name) }).toEqual({ name, exposed: true });
  return sent;
}

describe('CORS exposes the headers the server sends (issue row 11)', () => {
  it('an ordinary response: its X-RateLimit-* headers and X-Request-Id are readable by the browser app', async () => {
    const api = await startTestApi({}, { controllers: [ParsingProbeController] });
    try {
      const res = await request(api.server).get('/api/v1/parsing-probe/headers').set('Origin', ORIGIN).expect(200);
      const sent = expectExposed(res, /ratelimit|retry-after|x-request-id/);
      expect(sent).toEqual(expect.arrayContaining(['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-request-id']));
    } finally {
      await api.close();
    }
  });

  it('a throttled response: its Retry-After and rate-limit headers are readable', async () => {
    const api = await startTestApi({ THROTTLE_LIMIT: '2' }, { controllers: [ParsingProbeController] });
    try {
      let res: Response | undefined;
      for (let i = 0; i < 5 && res?.status !== 429; i++)
        res = await request(api.server).get('/api/v1/parsing-probe/headers').set('Origin', ORIGIN);
      expect(res?.status).toBe(429);
      expect(expectExposed(res!, /ratelimit|retry-after/)).toContain('retry-after');
    } finally {
      await api.close();
    }
  });
});
