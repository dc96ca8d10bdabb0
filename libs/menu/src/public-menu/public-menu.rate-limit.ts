import { Inject, Injectable, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Counter } from 'prom-client';
import { appConfig, redisConfig, type AppConfig, type RedisConfig } from '@coffee/config';
import { MetricsService } from '@coffee/metrics';
import { REDIS_CLIENT, type RedisClient } from '@coffee/redis';

const WINDOW_MS = 60_000;
/** How often an instance adds its hits for one IP to the shared count and reads the total back. */
const SYNC_MS = 100;
/**
 * IPs counted per window per instance. Past this the counts start over: a
 * flood from that many addresses is beyond what a per-IP limit can stop, and
 * memory stays bounded.
 */
const MAX_TRACKED_IPS = 100_000;

// Adds this instance's hits to the window's count and returns the total across instances.
const ADD_SCRIPT = `
local count = redis.call('INCRBY', KEYS[1], ARGV[1])
if count == tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return count`;

interface Bucket {
  /** The shared total (every instance) as last read from Redis. */
  shared: number;
  /** Hits counted here and not yet added to the shared total. */
  pending: number;
  syncing: boolean;
  syncedAt: number;
}

/**
 * A generous per-IP limit on the public menu (PUBLIC_MENU_RATE_LIMIT per
 * minute, fixed windows). The menu is answered from the first request hook,
 * so a request never waits for Redis: each instance counts locally and, at
 * most every 100 ms per IP, adds its hits to the shared count in Redis (one
 * script call) and reads the total back. Instances therefore agree within a
 * fraction of a second, which is plenty for a limit meant to stop floods, not
 * to meter. While Redis fails the limit fails open (logged, counted in
 * `public_menu_rate_limit_fail_open_total`); without Redis (embedded mode) the
 * count is this process's.
 */
@Injectable()
export class PublicMenuRateLimit {
  private readonly logger = new Logger(PublicMenuRateLimit.name);
  private readonly limit: number;
  private readonly limitHeader: string;
  private readonly prefix: string;
  private readonly failOpen: Counter;
  private window = -1;
  private buckets = new Map<string, Bucket>();
  private redisFailing = false;
  private lastFailureLog = 0;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient | null,
    @Inject(redisConfig.KEY) redisSettings: RedisConfig,
    @Inject(appConfig.KEY) app: AppConfig,
    metrics: MetricsService,
  ) {
    this.limit = app.publicMenuRateLimit;
    this.limitHeader = String(app.publicMenuRateLimit);
    this.prefix = `${redisSettings.keyPrefix}:rl:public-menu:`;
    this.failOpen = metrics.counter(
      'public_menu_rate_limit_fail_open_total',
      'Public-menu requests let through unlimited because Redis failed',
    );
  }

  /**
   * Counts one request from `ip` and sets the rate-limit headers the other
   * routes' throttler sends (`X-RateLimit-Limit`, `-Remaining`, `-Reset`).
   * Returns the seconds to wait when the request is over the limit, else 0.
   */
  hit(ip: string, reply: FastifyReply): number {
    const now = Date.now();
    const window = Math.floor(now / WINDOW_MS);
    if (window !== this.window) {
      this.window = window;
      this.buckets = new Map();
    }
    let bucket = this.buckets.get(ip);
    if (!bucket) {
      if (this.buckets.size >= MAX_TRACKED_IPS) this.buckets.clear();
      bucket = { shared: 0, pending: 0, syncing: false, syncedAt: 0 };
      this.buckets.set(ip, bucket);
    }
    const resetSeconds = Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - now) / 1000));
    const used = bucket.shared + bucket.pending;
    const refused = !this.redisFailing && used >= this.limit;
    if (this.redisFailing) this.failOpen.inc();
    void reply.headers({
      'x-ratelimit-limit': this.limitHeader,
      'x-ratelimit-remaining': String(Math.max(0, this.limit - used - 1)),
      'x-ratelimit-reset': String(resetSeconds),
    });
    if (refused) return resetSeconds;
    bucket.pending += 1;
    if (this.redis && !bucket.syncing && now - bucket.syncedAt >= SYNC_MS) this.sync(this.redis, ip, bucket, window);
    return 0;
  }

  private sync(redis: RedisClient, ip: string, bucket: Bucket, window: number): void {
    const hits = bucket.pending;
    bucket.pending = 0;
    bucket.syncing = true;
    redis
      .eval(ADD_SCRIPT, 1, `${this.prefix}${window}:${ip}`, String(hits), String(WINDOW_MS))
      .then(
        (total) => {
          bucket.shared = Number(total);
          this.redisFailing = false;
        },
        (error: unknown) => {
          this.redisFailing = true;
          if (Date.now() - this.lastFailureLog < 10_000) return;
          this.lastFailureLog = Date.now();
          this.logger.warn({ err: error }, 'Rate-limit store unavailable; the public menu is not rate limited');
        },
      )
      .finally(() => {
        bucket.syncing = false;
        bucket.syncedAt = Date.now();
      });
  }
}
