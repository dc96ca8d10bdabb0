import { Injectable, Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { MetricsService } from '@coffee/metrics';
import { HitCounter } from './hit-counter';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * @nestjs/throttler storage on the shared hit counter. Fails open: a Redis
 * outage lets requests through (logged and counted) instead of failing them.
 */
@Injectable()
export class SharedThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger(SharedThrottlerStorage.name);
  private readonly failOpen;

  constructor(
    private readonly counter: HitCounter,
    metrics: MetricsService,
  ) {
    this.failOpen = metrics.counter(
      'throttler_fail_open_total',
      'Requests let through because the rate-limit store failed',
    );
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    try {
      const { count, resetMs } = await this.counter.hit(`${throttlerName}:${key}`, ttl);
      const isBlocked = count > limit;
      const seconds = Math.ceil(resetMs / 1000);
      return {
        totalHits: count,
        timeToExpire: seconds,
        isBlocked,
        timeToBlockExpire: isBlocked ? Math.ceil(Math.max(resetMs, blockDuration) / 1000) : 0,
      };
    } catch (error) {
      this.failOpen.inc();
      this.logger.warn({ err: error }, 'Rate-limit store unavailable; letting the request through');
      return { totalHits: 0, timeToExpire: Math.ceil(ttl / 1000), isBlocked: false, timeToBlockExpire: 0 };
    }
  }
}
