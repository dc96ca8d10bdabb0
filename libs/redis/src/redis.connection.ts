import type * as IORedis from 'ioredis';
import type { Cluster, ClusterOptions, Redis, RedisOptions } from 'ioredis';
import type { RedisConfig, RedisNodeAuth } from '@coffee/config';

/** One node or a Sentinel-managed master (both `Redis`), or a cluster. */
export type RedisClient = Redis | Cluster;

/**
 * Options for clients that serve requests: a command fails at once while Redis
 * is away instead of queueing, so callers can fall back or answer 503 fast.
 */
export const FAIL_FAST_OPTIONS: RedisOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  connectTimeout: 1000,
  commandTimeout: 1000,
  lazyConnect: false,
  retryStrategy: (times) => Math.min(times * 200, 2000),
};

/**
 * Options for BullMQ producers: BullMQ talks to Redis as soon as a queue is
 * created, so commands may wait briefly for the connection, but each one gives
 * up after a second so enqueueing answers 503 fast while Redis is away.
 */
export const PRODUCER_OPTIONS: RedisOptions = {
  enableOfflineQueue: true,
  maxRetriesPerRequest: 1,
  connectTimeout: 1000,
  commandTimeout: 1000,
  retryStrategy: (times) => Math.min(times * 200, 2000),
};

/** Options for BullMQ workers, which block on Redis and must retry forever. */
export const WORKER_OPTIONS: RedisOptions = {
  maxRetriesPerRequest: null,
  enableOfflineQueue: true,
  connectTimeout: 2000,
  retryStrategy: (times) => Math.min(times * 200, 2000),
};

/**
 * A demoted master answers writes with READONLY until its clients move: the
 * connection is dropped and the command sent again, to whatever is master then.
 */
const RECONNECT_ON_READONLY = (error: Error): 2 | false => (error.message.startsWith('READONLY') ? 2 : false);

function nodeAuthOptions(node: RedisNodeAuth): RedisOptions {
  return {
    ...(node.username !== null && { username: node.username }),
    ...(node.password !== null && { password: node.password }),
    ...(node.tls && { tls: {} }),
  };
}

/**
 * The ioredis options of a cluster: the per-command settings go to every
 * node's connection (`redisOptions`, where BullMQ also looks for
 * `maxRetriesPerRequest: null`), the queueing and reconnecting ones to the
 * cluster object itself.
 */
function clusterOptions(options: RedisOptions, node: RedisNodeAuth): ClusterOptions {
  const { enableOfflineQueue, retryStrategy, lazyConnect, ...perNode } = options;
  return {
    ...(enableOfflineQueue !== undefined && { enableOfflineQueue }),
    ...(lazyConnect !== undefined && { lazyConnect }),
    // Retried forever like one node's connection (null would give up after the first failure).
    clusterRetryStrategy: (times) => retryStrategy?.(times) ?? Math.min(times * 200, 2000),
    redisOptions: { ...perNode, ...nodeAuthOptions(node), reconnectOnError: RECONNECT_ON_READONLY },
  };
}

/**
 * A client of full mode's Redis, whichever its topology: one node
 * (REDIS_URL), the master a group of sentinels names (REDIS_SENTINELS;
 * ioredis asks them again on every reconnection and follows a failover), or a
 * cluster (REDIS_CLUSTER_NODES; ioredis follows MOVED redirections and
 * refreshes the slot map when a replica is promoted).
 */
export function createRedisClient(
  config: Pick<RedisConfig, 'topology'>,
  options: RedisOptions = FAIL_FAST_OPTIONS,
): RedisClient {
  // ioredis is loaded on the first call, so embedded mode (no Redis) never loads it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- full mode only (see above)
  const ioredis = require('ioredis') as typeof IORedis;
  const topology = config.topology;
  if (!topology) throw new Error('Redis is not configured: set REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES');
  let client: RedisClient;
  switch (topology.mode) {
    case 'single':
      client = new ioredis.Redis(topology.url, options);
      break;
    case 'sentinel':
      client = new ioredis.Redis({
        ...options,
        ...nodeAuthOptions(topology.node),
        db: topology.node.db,
        sentinels: topology.sentinels,
        name: topology.name,
        ...(topology.sentinelPassword !== null && { sentinelPassword: topology.sentinelPassword }),
        // Subscribes to the sentinels' +switch-master: the client moves as soon as a failover is announced.
        failoverDetector: true,
        reconnectOnError: RECONNECT_ON_READONLY,
      });
      break;
    case 'cluster':
      client = new ioredis.Cluster(topology.nodes, clusterOptions(options, topology.node));
      break;
  }
  // Errors surface on commands; an unhandled 'error' event would crash the process.
  client.on('error', () => undefined);
  return client;
}

/**
 * Waits (at most `timeoutMs`) for a fail-fast client to connect, so an instance
 * does not refuse its first requests while the connection is still opening.
 * Resolves either way: an unreachable Redis is reported by readiness, not by a
 * crash at boot.
 */
export async function waitUntilReady(client: RedisClient, timeoutMs = 2000): Promise<void> {
  if (client.status === 'ready') return;
  await new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      client.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    client.once('ready', done);
  });
}
