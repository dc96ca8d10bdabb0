import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { redisConfig, type RedisConfig } from '@coffee/config';
import { REDIS_CLIENT, type RedisClient } from '@coffee/redis';

/**
 * A counter per restaurant that every menu write bumps. Cache keys include it,
 * so one INCR invalidates the menu on every instance without scanning keys.
 * Redis in full mode (shared), process memory in embedded mode.
 */
@Injectable()
export class MenuVersions implements OnApplicationShutdown {
  private readonly logger = new Logger(MenuVersions.name);
  private readonly memory = new Map<string, number>();
  /** Bumps that failed while Redis was away; retried until they land, so no instance keeps an old menu. */
  private readonly pending = new Set<string>();
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly prefix: string;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient | null,
    @Inject(redisConfig.KEY) config: RedisConfig,
  ) {
    this.prefix = `${config.keyPrefix}:menu:`;
  }

  get shared(): RedisClient | null {
    return this.redis;
  }

  key(restaurantId: string, suffix: string): string {
    return `${this.prefix}${restaurantId}:${suffix}`;
  }

  /** The current version; throws if Redis is unreachable (the caller falls back to the database). */
  async current(restaurantId: string): Promise<string> {
    if (!this.redis) return String(this.memory.get(restaurantId) ?? 0);
    return (await this.redis.get(this.key(restaurantId, 'version'))) ?? '0';
  }

  /** Call after a committed menu write. Failures are logged: the write itself succeeded. */
  async bump(restaurantId: string): Promise<void> {
    if (!this.redis) {
      this.memory.set(restaurantId, (this.memory.get(restaurantId) ?? 0) + 1);
      return;
    }
    try {
      await this.redis.incr(this.key(restaurantId, 'version'));
    } catch (error) {
      this.logger.warn({ err: error, restaurantId }, 'Could not bump the menu version; retrying until Redis is back');
      this.pending.add(restaurantId);
      this.retryTimer ??= setInterval(() => void this.retryPending(), 1000).unref();
    }
  }

  onApplicationShutdown(): void {
    clearInterval(this.retryTimer);
  }

  private async retryPending(): Promise<void> {
    for (const restaurantId of [...this.pending]) {
      try {
        await this.redis?.incr(this.key(restaurantId, 'version'));
        this.pending.delete(restaurantId);
      } catch {
        return; // still away; next tick
      }
    }
    if (this.pending.size === 0) {
      clearInterval(this.retryTimer);
      this.retryTimer = undefined;
    }
  }
}
