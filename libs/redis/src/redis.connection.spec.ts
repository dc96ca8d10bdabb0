import { Cluster, Redis } from 'ioredis';
import { redisConfigFrom, validateEnvironment } from '@coffee/config';
import { createRedisClient, PRODUCER_OPTIONS, WORKER_OPTIONS, type RedisClient } from './redis.connection';

const configOf = (raw: Record<string, string>) => redisConfigFrom(validateEnvironment(raw));
// Built without connecting: these tests read the options ioredis was given.
const LAZY = { ...PRODUCER_OPTIONS, lazyConnect: true };

describe('createRedisClient', () => {
  const clients: RedisClient[] = [];
  const create = (...args: Parameters<typeof createRedisClient>): RedisClient => {
    const client = createRedisClient(...args);
    clients.push(client);
    return client;
  };
  afterEach(() => {
    for (const client of clients.splice(0)) client.disconnect();
  });

  it('connects to REDIS_URL alone as before', () => {
    const client = create(configOf({ REDIS_URL: 'redis://:pw@cache.internal:6380/2' }), LAZY);
    expect(client).toBeInstanceOf(Redis);
    expect((client as Redis).options).toMatchObject({ host: 'cache.internal', port: 6380, password: 'pw', db: 2 });
  });

  it('asks the sentinels for the master, with the data nodes credentials from REDIS_URL', () => {
    const client = create(
      configOf({
        REDIS_SENTINELS: '10.0.0.1,10.0.0.2:26380',
        REDIS_SENTINEL_NAME: 'coffee-master',
        REDIS_SENTINEL_PASSWORD: 'sentinel-pw',
        REDIS_URL: 'redis://app:node-pw@ignored/1',
      }),
      LAZY,
    );
    expect(client).toBeInstanceOf(Redis);
    expect((client as Redis).options).toMatchObject({
      sentinels: [
        { host: '10.0.0.1', port: 26379 },
        { host: '10.0.0.2', port: 26380 },
      ],
      name: 'coffee-master',
      sentinelPassword: 'sentinel-pw',
      username: 'app',
      password: 'node-pw',
      db: 1,
      failoverDetector: true,
      commandTimeout: 1000,
    });
  });

  it('builds a cluster client whose nodes carry the per-command options BullMQ checks', () => {
    const client = create(configOf({ REDIS_CLUSTER_NODES: 'n1:7000,n2:7001', REDIS_URL: 'rediss://:pw@x' }), {
      ...WORKER_OPTIONS,
      lazyConnect: true,
    });
    expect(client).toBeInstanceOf(Cluster);
    const cluster = client as Cluster;
    expect(cluster.options).toMatchObject({ enableOfflineQueue: true, lazyConnect: true });
    // BullMQ refuses a blocking connection unless the nodes' maxRetriesPerRequest is null.
    expect(cluster.options.redisOptions).toMatchObject({
      maxRetriesPerRequest: null,
      password: 'pw',
      tls: {},
      connectTimeout: 2000,
    });
    expect(cluster.options.clusterRetryStrategy?.(3)).toBe(600);
  });

  it('refuses to build a client when no Redis is configured', () => {
    expect(() => createRedisClient(configOf({}))).toThrow('Redis is not configured');
  });
});
