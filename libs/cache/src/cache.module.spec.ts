import { redisConfigFrom, validateEnvironment } from '@coffee/config';
import type KeyvRedis from '@keyv/redis';
import { cacheConnectionOptions, createCacheStores } from './cache.module';

const optionsFor = (raw: Record<string, string>) => cacheConnectionOptions(redisConfigFrom(validateEnvironment(raw)));

describe('cacheConnectionOptions (the node-redis options of the Keyv store)', () => {
  it('has no store in embedded mode, and REDIS_URL on one node', () => {
    expect(optionsFor({})).toBeUndefined();
    expect(optionsFor({ REDIS_URL: 'redis://cache:6379/1' })).toMatchObject({
      url: 'redis://cache:6379/1',
      disableOfflineQueue: true,
    });
  });

  it('gives a Sentinel group to the adapter as sentinelRootNodes, credentials to the data nodes', () => {
    expect(
      optionsFor({
        REDIS_SENTINELS: 's1,s2:26380',
        REDIS_SENTINEL_NAME: 'coffee-master',
        REDIS_SENTINEL_PASSWORD: 'sp',
        REDIS_URL: 'rediss://u:p@x/4',
      }),
    ).toMatchObject({
      name: 'coffee-master',
      sentinelRootNodes: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26380 },
      ],
      nodeClientOptions: { username: 'u', password: 'p', database: 4, socket: { tls: true } },
      sentinelClientOptions: { password: 'sp' },
    });
  });

  it('gives a cluster to the adapter as rootNodes', () => {
    expect(optionsFor({ REDIS_CLUSTER_NODES: 'n1,n2:7001', REDIS_URL: 'redis://:p@x' })).toMatchObject({
      rootNodes: [{ socket: { host: 'n1', port: 6379 } }, { socket: { host: 'n2', port: 7001 } }],
      defaults: { password: 'p', disableOfflineQueue: true },
    });
  });
});

describe('createCacheStores', () => {
  it('has no Redis store in embedded mode', () => {
    expect(createCacheStores(redisConfigFrom(validateEnvironment({})))).toBeUndefined();
  });

  it('keeps REDIS_KEY_PREFIX on the Redis store through the Keyv Nest hands to cache-manager', async () => {
    const [keyv] =
      createCacheStores(
        redisConfigFrom(validateEnvironment({ REDIS_URL: 'redis://127.0.0.1:1', REDIS_KEY_PREFIX: 'shop' })),
      ) ?? [];
    try {
      expect(keyv?.namespace).toBe('shop:cache');
      expect((keyv?.store as KeyvRedis<unknown>).namespace).toBe('shop:cache');
      expect(keyv?.useKeyPrefix).toBe(false);
    } finally {
      await keyv?.disconnect();
    }
  });
});
