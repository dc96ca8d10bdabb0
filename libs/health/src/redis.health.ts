import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { REDIS_CLIENT, type RedisClient } from '@coffee/redis';

/** Terminus has no Redis indicator: PING with a timeout. */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient | null,
  ) {}

  get configured(): boolean {
    return this.redis !== null;
  }

  async pingCheck(key: 'redis', timeoutMs: number): Promise<HealthIndicatorResult<'redis'>> {
    const session = this.health.check(key);
    const redis = this.redis;
    if (!redis) return session.up({ message: 'not configured' });
    return session
      .attempt(async () => {
        await redis.ping();
      })
      .withTimeout(timeoutMs);
  }
}
