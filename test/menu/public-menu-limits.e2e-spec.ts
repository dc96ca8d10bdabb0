import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { PublicMenuCache, UNKNOWN_SLUG_TTL_MS } from '@coffee/menu';
import { RestaurantRepository } from '@coffee/tenancy';
import { seedRestaurant, uniqueSlug } from '../factories/restaurant.factory';
import { describeFull } from '../support/env';
import { eventually } from '../support/processes';
import { TcpProxy } from '../support/tcp-proxy';
import { startTestApi, type TestApi } from '../support/test-app';

const menuPath = (slug: string) => `/api/v1/public/restaurants/${slug}/menu`;
/** A client address of its own per test (TRUST_PROXY=1 takes it from X-Forwarded-For), so suites sharing Redis never share a count. */
const clientIp = () =>
  `198.51.100.7, 2001:db8::${randomBytes(4)
    .toString('hex')
    .replace(/^(.{4})/, '$1:')}`;
const fromIp = (api: TestApi, slug: string, ip: string) =>
  request(api.server).get(menuPath(slug)).set('X-Forwarded-For', ip);

describe('public menu: unknown slugs', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi({ PUBLIC_MENU_RATE_LIMIT: '100000' });
  });

  afterAll(async () => {
    await api.close();
    jest.restoreAllMocks();
  });

  it('costs one database query per slug per TTL, however often it is asked for', async () => {
    const lookups = jest.spyOn(api.app.get(RestaurantRepository), 'findBySlug');
    const slug = uniqueSlug('nowhere');
    const start = Date.now();
    const clock = jest.spyOn(Date, 'now');
    try {
      clock.mockReturnValue(start);
      await request(api.server).get(menuPath(slug)).expect(404);
      // Well past the 250 ms a local copy is fresh, within the negative TTL.
      clock.mockReturnValue(start + UNKNOWN_SLUG_TTL_MS / 2);
      await request(api.server).get(menuPath(slug)).expect(404);
      expect(lookups.mock.calls.filter(([asked]) => asked === slug)).toHaveLength(1);
      clock.mockReturnValue(start + UNKNOWN_SLUG_TTL_MS + 1);
      await request(api.server).get(menuPath(slug)).expect(404);
      expect(lookups.mock.calls.filter(([asked]) => asked === slug)).toHaveLength(2);
    } finally {
      clock.mockRestore();
      lookups.mockRestore();
    }
  });

  it('never pushes a real menu out of the local cache, however many there are', async () => {
    const cafe = await seedRestaurant(api.app);
    const cache = api.app.get(PublicMenuCache);
    const repository = api.app.get(RestaurantRepository);
    await cache.get(cafe.restaurant.slug);
    // The flood's own lookups answer "unknown" at once; only the real slug is counted.
    const lookups = jest
      .spyOn(repository, 'findBySlug')
      .mockImplementation((slug) =>
        slug === cafe.restaurant.slug ? Promise.resolve(cafe.restaurant) : Promise.resolve(null),
      );
    try {
      for (let i = 0; i < 10_001; i++) expect((await cache.get(`flood-${i}`)).body).toBeNull();
      expect((await cache.get(cafe.restaurant.slug)).body?.toString()).toContain(cafe.restaurant.name);
      expect(lookups.mock.calls.filter(([slug]) => slug === cafe.restaurant.slug)).toHaveLength(0);
    } finally {
      lookups.mockRestore();
    }
  });
});

describe('public menu: per-IP rate limit', () => {
  let api: TestApi;
  let slug: string;

  beforeAll(async () => {
    api = await startTestApi({ PUBLIC_MENU_RATE_LIMIT: '5', TRUST_PROXY: '1' });
    slug = (await seedRestaurant(api.app)).restaurant.slug;
  });

  afterAll(async () => {
    await api.close();
  });

  it('answers 429 problem+json with Retry-After past the limit; another IP is unaffected', async () => {
    const ip = clientIp();
    for (let i = 0; i < 5; i++) {
      const res = await fromIp(api, slug, ip).expect(200);
      expect(res.headers['x-ratelimit-limit']).toBe('5');
      expect(res.headers['x-ratelimit-remaining']).toBe(String(4 - i));
    }
    const limited = await fromIp(api, slug, ip).expect(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['x-ratelimit-remaining']).toBe('0');
    // Random slugs count too: they are what a flood would use.
    await fromIp(api, uniqueSlug('nowhere'), ip).expect(429);
    await fromIp(api, slug, clientIp()).expect(200);
  });

  it('applies to requests that take the full pipeline (with Origin) as well', async () => {
    const ip = clientIp();
    for (let i = 0; i < 5; i++) await fromIp(api, slug, ip).set('Origin', 'https://admin.example.test').expect(200);
    await fromIp(api, slug, ip).set('Origin', 'https://admin.example.test').expect(429);
  });
});

describeFull('public menu rate limit across instances and Redis outages', () => {
  let a: TestApi;
  let b: TestApi;
  let redis: TcpProxy;
  let slug: string;

  beforeAll(async () => {
    const target = new URL(process.env.REDIS_URL ?? '');
    redis = new TcpProxy(target.hostname, Number(target.port));
    await redis.start();
    a = await startTestApi({ PUBLIC_MENU_RATE_LIMIT: '5', TRUST_PROXY: '1' });
    b = await startTestApi({
      PUBLIC_MENU_RATE_LIMIT: '5',
      TRUST_PROXY: '1',
      REDIS_URL: `redis://127.0.0.1:${redis.port}`,
    });
    slug = (await seedRestaurant(a.app)).restaurant.slug;
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.cut();
  });

  it('shares the count through Redis: another instance refuses once it has synced', async () => {
    const ip = clientIp();
    for (let i = 0; i < 5; i++) await fromIp(a, slug, ip).expect(200);
    // b learns the shared count with its first request's sync (in the background): the next ones are refused.
    let allowedOnB = 0;
    await eventually(async () => {
      const res = await fromIp(b, slug, ip);
      if (res.status === 200) allowedOnB += 1;
      return res.status === 429 ? true : undefined;
    });
    expect(allowedOnB).toBeLessThan(5);
  });

  it('fails open while Redis is down, and counts it', async () => {
    const ip = clientIp();
    await redis.cut();
    try {
      for (let i = 0; i < 10; i++) await fromIp(b, slug, ip).expect(200);
    } finally {
      await redis.restore();
    }
    const metrics = (await request(b.server).get('/metrics').expect(200)).text;
    expect(Number(/^public_menu_rate_limit_fail_open_total (\d+)/m.exec(metrics)?.[1])).toBeGreaterThan(0);
  });
});
