import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { redisConfig, type RedisConfig } from '@coffee/config';
import { createRedisClient, waitUntilReady, type RedisClient } from './redis.connection';

/** The shared request-path Redis client, or null in embedded mode. */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

@Injectable()
class RedisClientCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly client: RedisClient | null) {}

  async onApplicationShutdown(): Promise<void> {
    if (!this.client) return;
    await this.client.quit().catch(() => this.client?.disconnect());
  }
}

@Global()
@Module({
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [redisConfig.KEY],
      useFactory: async (config: RedisConfig): Promise<RedisClient | null> => {
        if (!config.enabled) return null;
        const client = createRedisClient(config);
        await waitUntilReady(client);
        return client;
      },
    },
    RedisClientCloser,
  ],
  exports: [REDIS_CLIENT],
})
export class RedisModule {}
