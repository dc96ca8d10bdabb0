import { Inject, Injectable, Logger } from '@nestjs/common';
import { redisConfig, type RedisConfig } from '@coffee/config';
import { REDIS_CLIENT, type RedisClient } from '@coffee/redis';

/**
 * A counter per restaurant bumped after every committed payment (and rollup
 * rebuild). Report caches put it in their keys, so one INCR retires every
 * cached report of the restaurant on every instance. Redis in full mode,
 * process memory in embedded mode (one process).
 */
@Injectable()
export class SalesVersions {
  private readonly logger = new Logger(SalesVersions.name);
  private readonly memory = new Map<string, number>();
  private readonly prefix: string;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient | null,
    @Inject(redisConfig.KEY) config: RedisConfig,
  ) {
    this.prefix = `${config.keyPrefix}:sales:`;
  }

  /** The current version; throws if Redis is unreachable (callers then skip the cache). */
  async current(restaurantId: string): Promise<string> {
    if (!this.redis) return String(this.memory.get(restaurantId) ?? 0);
    return (await this.redis.get(`${this.prefix}${restaurantId}:version`)) ?? '0';
  }

  /**
   * Call after the commit. A failed bump is only logged: the payment stands,
   * and cached reports expire within their short TTL anyway.
   */
  async bump(restaurantId: string): Promise<void> {
    if (!this.redis) {
      this.memory.set(restaurantId, (this.memory.get(restaurantId) ?? 0) + 1);
      return;
    }
    try {
      await this.redis.incr(`${this.prefix}${restaurantId}:version`);
    } catch (error) {
      this.logger.warn({ err: error, restaurantId }, 'Could not bump the sales version; cached reports expire by TTL');
    }
  }
}
