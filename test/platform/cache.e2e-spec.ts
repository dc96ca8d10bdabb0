import { CACHE_MANAGER } from '@nestjs/cache-manager';
import type { Cache } from 'cache-manager';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { itFull } from '../support/env';
import { eventually } from '../support/processes';
import { startTestApi, type TestApi } from '../support/test-app';

describe('cache', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });

  afterAll(async () => {
    await api.close();
  });

  it('stores, reads back and expires entries', async () => {
    const cache = api.app.get<Cache>(CACHE_MANAGER);
    const key = `test:${randomUUID()}`;
    await cache.set(key, { menu: [1, 2, 3] }, 60_000);
    await expect(cache.get(key)).resolves.toEqual({ menu: [1, 2, 3] });
    await cache.set(`${key}:short`, 'x', 50);
    await eventually(async () => ((await cache.get(`${key}:short`)) === undefined ? true : undefined));
  });

  itFull('keeps entries in Redis in full mode, visible to every instance', async () => {
    const cache = api.app.get<Cache>(CACHE_MANAGER);
    const key = `shared:${randomUUID()}`;
    await cache.set(key, 'from-instance-a', 60_000);
    const redis = new Redis(process.env.REDIS_URL ?? '');
    try {
      // Under REDIS_KEY_PREFIX, like every other key of the application.
      expect(await redis.keys(`*${key}*`)).toEqual([`${process.env.REDIS_KEY_PREFIX ?? 'coffee'}:cache::${key}`]);
    } finally {
      redis.disconnect();
    }
    const other = await startTestApi();
    try {
      await expect(other.app.get<Cache>(CACHE_MANAGER).get(key)).resolves.toBe('from-instance-a');
    } finally {
      await other.close();
    }
  });
});
