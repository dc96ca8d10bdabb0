import { CACHE_MANAGER, CacheModule, type CacheManagerOptions } from '@nestjs/cache-manager';
import {
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type * as KeyvRedisModule from '@keyv/redis';
import { Keyv } from 'keyv';
import type { Cache } from 'cache-manager';
import { redisConfig, type RedisConfig } from '@coffee/config';

/** Default entry lifetime (ms). Entries with versioned keys rarely need it. */
export const DEFAULT_CACHE_TTL_MS = 5 * 60 * 1000;

const logger = new Logger('Cache');

/** What KeyvRedis takes: node-redis options for one client, a cluster or a Sentinel group. */
type KeyvRedisConnection = NonNullable<ConstructorParameters<typeof KeyvRedisModule.default>[0]>;

const SOCKET = { connectTimeout: 1000, reconnectStrategy: (retries: number) => Math.min(retries * 200, 2000) };

/**
 * node-redis options for the store (Keyv's Redis adapter is built on
 * node-redis, not ioredis): one node, a Sentinel-managed master
 * (`sentinelRootNodes`: the adapter builds a node-redis Sentinel client, which
 * follows a failover) or a cluster (`rootNodes`), with REDIS_URL's
 * credentials, database and TLS for the data nodes.
 */
export function cacheConnectionOptions(config: RedisConfig): KeyvRedisConnection | undefined {
  const topology = config.topology;
  if (!topology) return undefined;
  if (topology.mode === 'single') return { url: topology.url, disableOfflineQueue: true, socket: SOCKET };
  const { username, password, db, tls } = topology.node;
  const node = {
    ...(username !== null && { username }),
    ...(password !== null && { password }),
    disableOfflineQueue: true,
    socket: { ...SOCKET, ...(tls && { tls: true as const }) },
  };
  if (topology.mode === 'sentinel') {
    return {
      name: topology.name,
      sentinelRootNodes: topology.sentinels,
      nodeClientOptions: { ...node, database: db },
      sentinelClientOptions: {
        ...(topology.sentinelPassword !== null && { password: topology.sentinelPassword }),
        socket: SOCKET,
      },
    };
  }
  return { rootNodes: topology.nodes.map(({ host, port }) => ({ socket: { host, port } })), defaults: node };
}

/**
 * The store behind Nest's CACHE_MANAGER: Redis in full mode (shared by every
 * instance), process memory in embedded mode (cache-manager's default store).
 * A Redis outage makes reads miss and writes no-ops, so callers fall back to the
 * database; the errors are logged here, never returned to a client.
 *
 * Handed to Nest as a Keyv instance carrying the namespace: a bare store would
 * be wrapped in a Keyv without one, which clears the store's namespace too,
 * and the entries would go to Redis without REDIS_KEY_PREFIX.
 */
export function createCacheStores(config: RedisConfig): Keyv[] | undefined {
  const connection = cacheConnectionOptions(config);
  if (!connection) return undefined;
  // Required here, not imported: embedded mode never loads the Redis client (about 400 files).
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
  const { default: KeyvRedis } = require('@keyv/redis') as typeof KeyvRedisModule;
  const store = new KeyvRedis<unknown>(connection, { throwOnConnectError: false, connectionTimeout: 1000 });
  let lastLogged = 0;
  store.on('error', (error: unknown) => {
    // One line per 10 s is enough to see an outage without flooding the log.
    if (Date.now() - lastLogged < 10_000) return;
    lastLogged = Date.now();
    logger.warn({ err: error }, 'Redis cache unavailable; serving from the database');
  });
  // `useKeyPrefix: false`: the Redis store prefixes keys with the namespace itself (`coffee:cache::key`).
  return [new Keyv({ store, namespace: `${config.keyPrefix}:cache`, useKeyPrefix: false })];
}

/** What the Redis store offers to connect before the first request (KeyvRedis). */
interface ConnectingStore {
  getClient(): Promise<unknown>;
}

const isConnecting = (store: unknown): store is ConnectingStore =>
  typeof (store as Partial<ConnectingStore> | undefined)?.getClient === 'function';

/**
 * Connects the Redis store while the app starts, before it listens: left to
 * the first requests, each of a burst would open the client at once, and all
 * but one would fail ("client is offline") and log it. A Redis that is down at
 * start is logged once (the store's error handler) and the app starts anyway.
 */
@Injectable()
class CacheLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(CACHE_MANAGER) private readonly cache: Cache) {}

  async onModuleInit(): Promise<void> {
    for (const { store } of this.cache.stores) {
      if (isConnecting(store)) await store.getClient();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.cache.disconnect().catch(() => undefined);
  }
}

@Global()
@Module({
  imports: [
    CacheModule.registerAsync({
      inject: [redisConfig.KEY],
      useFactory: (config: RedisConfig): CacheManagerOptions => ({
        // keyv ships CommonJS and ES module typings, which TypeScript takes for two classes (Nest's
        // are the ES ones); at run time Nest recognises any Keyv by its shape, and uses it as it is.
        stores: createCacheStores(config) as unknown as CacheManagerOptions['stores'],
        ttl: DEFAULT_CACHE_TTL_MS,
      }),
    }),
  ],
  providers: [CacheLifecycle],
  exports: [CacheModule],
})
export class AppCacheModule {}
