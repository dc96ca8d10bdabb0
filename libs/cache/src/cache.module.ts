import { CACHE_MANAGER, CacheModule } from '@nestjs/cache-manager';
import { Global, Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import type * as KeyvRedisModule from '@keyv/redis';
import type KeyvRedis from '@keyv/redis';
import type { Cache } from 'cache-manager';
import { redisConfig, type RedisConfig } from '@coffee/config';

/** Default entry lifetime (ms). Entries with versioned keys rarely need it. */
export const DEFAULT_CACHE_TTL_MS = 5 * 60 * 1000;

const logger = new Logger('Cache');

/**
 * The store behind Nest's CACHE_MANAGER: Redis in full mode (shared by every
 * instance), process memory in embedded mode (cache-manager's default store).
 * A Redis outage makes reads miss and writes no-ops, so callers fall back to the
 * database; the errors are logged here, never returned to a client.
 */
export function createCacheStores(config: RedisConfig): KeyvRedis<unknown>[] | undefined {
  if (!config.url) return undefined;
  // Required here, not imported: embedded mode never loads the Redis client (about 400 files).
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
  const { default: KeyvRedisStore } = require('@keyv/redis') as typeof KeyvRedisModule;
  const store = new KeyvRedisStore<unknown>(
    {
      url: config.url,
      disableOfflineQueue: true,
      socket: { connectTimeout: 1000, reconnectStrategy: (retries: number) => Math.min(retries * 200, 2000) },
    },
    { namespace: `${config.keyPrefix}:cache`, throwOnConnectError: false, connectionTimeout: 1000 },
  );
  let lastLogged = 0;
  store.on('error', (error: unknown) => {
    // One line per 10 s is enough to see an outage without flooding the log.
    if (Date.now() - lastLogged < 10_000) return;
    lastLogged = Date.now();
    logger.warn({ err: error }, 'Redis cache unavailable; serving from the database');
  });
  return [store];
}

@Injectable()
class CacheCloser implements OnApplicationShutdown {
  constructor(@Inject(CACHE_MANAGER) private readonly cache: Cache) {}

  async onApplicationShutdown(): Promise<void> {
    await this.cache.disconnect().catch(() => undefined);
  }
}

@Global()
@Module({
  imports: [
    CacheModule.registerAsync({
      inject: [redisConfig.KEY],
      useFactory: (config: RedisConfig) => ({ stores: createCacheStores(config), ttl: DEFAULT_CACHE_TTL_MS }),
    }),
  ],
  providers: [CacheCloser],
  exports: [CacheModule],
})
export class AppCacheModule {}
