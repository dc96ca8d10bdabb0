import { Inject, Injectable } from '@nestjs/common';
import { redisConfig, type RedisConfig } from '@coffee/config';
import { REDIS_CLIENT, waitUntilReady, type RedisClient } from '@coffee/redis';

export interface HitCount {
  count: number;
  /** Milliseconds until the window resets. */
  resetMs: number;
}

// INCR and set the window on the first hit, atomically, so every instance shares one count.
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) ttl = tonumber(ARGV[1]) end
return {count, ttl}`;

// Takes one hit back without touching the window; a key that expired meanwhile stays gone.
const RELEASE_SCRIPT = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count > 0 then redis.call('DECR', KEYS[1]) end
return 0`;

/**
 * Fixed-window counters for rate limits: Redis in full mode (shared by all
 * instances), process memory in embedded mode. Redis errors propagate: each
 * caller decides whether to fail open or closed.
 */
@Injectable()
export class HitCounter {
  private readonly memory = new Map<string, { count: number; resetAt: number }>();
  private readonly prefix: string;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient | null,
    @Inject(redisConfig.KEY) config: RedisConfig,
  ) {
    this.prefix = `${config.keyPrefix}:rl:`;
  }

  async hit(key: string, windowMs: number): Promise<HitCount> {
    if (this.redis) {
      await this.connected(this.redis);
      const [count, ttl] = (await this.redis.eval(HIT_SCRIPT, 1, this.prefix + key, String(windowMs))) as [
        number,
        number,
      ];
      return { count, resetMs: ttl };
    }
    const now = Date.now();
    this.sweep(now);
    const entry = this.memory.get(key);
    if (!entry || entry.resetAt <= now) {
      this.memory.set(key, { count: 1, resetAt: now + windowMs });
      return { count: 1, resetMs: windowMs };
    }
    entry.count += 1;
    return { count: entry.count, resetMs: entry.resetAt - now };
  }

  /** Takes back one hit of the current window (never below zero, never extending it). */
  async release(key: string): Promise<void> {
    if (this.redis) {
      await this.redis.eval(RELEASE_SCRIPT, 1, this.prefix + key);
      return;
    }
    const entry = this.memory.get(key);
    if (entry && entry.resetAt > Date.now() && entry.count > 0) entry.count -= 1;
  }

  async peek(key: string): Promise<HitCount> {
    if (this.redis) {
      const [count, ttl] = await Promise.all([this.redis.get(this.prefix + key), this.redis.pttl(this.prefix + key)]);
      return { count: Number(count ?? 0), resetMs: Math.max(ttl, 0) };
    }
    const entry = this.memory.get(key);
    const now = Date.now();
    if (!entry || entry.resetAt <= now) return { count: 0, resetMs: 0 };
    return { count: entry.count, resetMs: entry.resetAt - now };
  }

  /**
   * The request-path client refuses commands while it is (re)connecting. A
   * count is worth waiting for briefly — sign-in fails closed on an error — so
   * a new instance's first sign-ins, or those during a reconnect, wait up to
   * the command timeout instead of answering 503.
   */
  private async connected(redis: RedisClient): Promise<void> {
    if (redis.status !== 'ready') await waitUntilReady(redis, 1000);
  }

  private sweep(now: number): void {
    if (this.memory.size < 10_000) return;
    for (const [key, entry] of this.memory) if (entry.resetAt <= now) this.memory.delete(key);
  }
}
