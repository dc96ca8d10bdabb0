import type * as IORedis from 'ioredis';
import type { Redis, RedisOptions } from 'ioredis';

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

/** A client of `url`; ioredis is loaded on the first call, so embedded mode (no Redis) never loads it. */
export function createRedisClient(url: string, options: RedisOptions = FAIL_FAST_OPTIONS): Redis {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- full mode only (see above)
  const { Redis } = require('ioredis') as typeof IORedis;
  const client = new Redis(url, options);
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
export async function waitUntilReady(client: Redis, timeoutMs = 2000): Promise<void> {
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
