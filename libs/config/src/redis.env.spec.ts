import { ConfigValidationError, validateEnvironment } from './environment';
import { redisConfigFrom } from './redis.env';

function problemsOf(raw: Record<string, string | undefined>): string[] {
  try {
    validateEnvironment(raw);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  return [];
}

const redis = (raw: Record<string, string>) => redisConfigFrom(validateEnvironment(raw));

describe('Redis configuration', () => {
  it('is off without any Redis variable (embedded mode)', () => {
    expect(redis({})).toMatchObject({ enabled: false, topology: null, url: null, queuePrefix: 'coffee:bull' });
  });

  it('keeps one node from REDIS_URL, with the queue keys where they always were', () => {
    expect(redis({ REDIS_URL: 'redis://:pw@cache:6380/2', REDIS_KEY_PREFIX: 'shop' })).toEqual({
      enabled: true,
      url: 'redis://:pw@cache:6380/2',
      topology: { mode: 'single', url: 'redis://:pw@cache:6380/2' },
      keyPrefix: 'shop',
      queuePrefix: 'shop:bull',
    });
  });

  it('reads a Sentinel group, port 26379 by default, with the data nodes credentials from REDIS_URL', () => {
    const config = redis({
      REDIS_SENTINELS: 's1.internal, 10.0.0.2:26380,[fd00::3]:26381',
      REDIS_SENTINEL_NAME: 'coffee-master',
      REDIS_SENTINEL_PASSWORD: 'sentinel-pw',
      REDIS_URL: 'rediss://app:p%40ss@ignored-host:6379/3',
    });
    expect(config.topology).toEqual({
      mode: 'sentinel',
      sentinels: [
        { host: 's1.internal', port: 26379 },
        { host: '10.0.0.2', port: 26380 },
        { host: 'fd00::3', port: 26381 },
      ],
      name: 'coffee-master',
      sentinelPassword: 'sentinel-pw',
      node: { username: 'app', password: 'p@ss', db: 3, tls: true },
    });
    // Sentinel keeps the single node's key layout: a failover or a move to Sentinel loses no job.
    expect(config).toMatchObject({ enabled: true, queuePrefix: 'coffee:bull' });
    expect(redis({ REDIS_SENTINELS: 's1', REDIS_SENTINEL_NAME: 'm' }).topology).toMatchObject({
      sentinelPassword: null,
      node: { username: null, password: null, db: 0, tls: false },
    });
  });

  it('reads cluster seeds, port 6379 by default, and puts the queue prefix in a hash tag', () => {
    const config = redis({
      REDIS_CLUSTER_NODES: 'n1,n2:7001',
      REDIS_URL: 'redis://:secret@x',
      REDIS_KEY_PREFIX: 'shop',
    });
    expect(config.topology).toEqual({
      mode: 'cluster',
      nodes: [
        { host: 'n1', port: 6379 },
        { host: 'n2', port: 7001 },
      ],
      node: { username: null, password: 'secret', db: 0, tls: false },
    });
    expect(config).toMatchObject({ enabled: true, keyPrefix: 'shop', queuePrefix: '{shop:bull}' });
  });

  it('refuses Sentinel and cluster together, and Sentinel without its master name', () => {
    expect(problemsOf({ REDIS_SENTINELS: 's1', REDIS_SENTINEL_NAME: 'm', REDIS_CLUSTER_NODES: 'n1' })).toEqual([
      expect.stringContaining('REDIS_SENTINELS and REDIS_CLUSTER_NODES exclude each other'),
    ]);
    expect(problemsOf({ REDIS_SENTINELS: 's1' })).toEqual([
      expect.stringContaining('REDIS_SENTINELS needs REDIS_SENTINEL_NAME'),
    ]);
  });

  it('refuses Sentinel settings without sentinels', () => {
    expect(problemsOf({ REDIS_URL: 'redis://r', REDIS_SENTINEL_NAME: 'm', REDIS_SENTINEL_PASSWORD: 'p' })).toEqual([
      'REDIS_SENTINEL_NAME is set but REDIS_SENTINELS is not',
      'REDIS_SENTINEL_PASSWORD is set but REDIS_SENTINELS is not',
    ]);
  });

  it('names a bad host list entry', () => {
    expect(problemsOf({ REDIS_SENTINELS: 's1:26379,redis://s2', REDIS_SENTINEL_NAME: 'm' })).toEqual([
      expect.stringContaining('REDIS_SENTINELS must be a comma list of host[:port]: "redis://s2"'),
    ]);
    expect(problemsOf({ REDIS_CLUSTER_NODES: ' , ' })).toEqual(['REDIS_CLUSTER_NODES lists no host']);
    expect(problemsOf({ REDIS_SENTINELS: 's1', REDIS_SENTINEL_NAME: 'two words' })).toEqual([
      expect.stringContaining('REDIS_SENTINEL_NAME must be a master group name'),
    ]);
  });

  it('refuses what a cluster cannot do: another database, a brace in the key prefix', () => {
    expect(problemsOf({ REDIS_CLUSTER_NODES: 'n1', REDIS_URL: 'redis://x/1' })).toEqual([
      'REDIS_URL selects database 1, but a Redis cluster has database 0 only',
    ]);
    expect(problemsOf({ REDIS_CLUSTER_NODES: 'n1', REDIS_KEY_PREFIX: '{shop}' })).toEqual([
      'REDIS_KEY_PREFIX must not contain { or } in cluster mode',
    ]);
    expect(problemsOf({ REDIS_SENTINELS: 's1', REDIS_SENTINEL_NAME: 'm', REDIS_URL: 'redis://x/db' })).toEqual([
      'REDIS_URL must end in a database number (/0, /1, …) or nothing',
    ]);
    // One node: braces and databases are the operator's business, as before.
    expect(problemsOf({ REDIS_URL: 'redis://x/1', REDIS_KEY_PREFIX: '{shop}' })).toEqual([]);
  });

  it('reads REDIS_SENTINEL_PASSWORD from a file like the other secrets', () => {
    const env = validateEnvironment({
      REDIS_SENTINELS: 's1',
      REDIS_SENTINEL_NAME: 'm',
      REDIS_SENTINEL_PASSWORD_FILE: __filename,
    });
    expect(env.REDIS_SENTINEL_PASSWORD).toContain('REDIS_SENTINEL_PASSWORD_FILE');
  });
});
