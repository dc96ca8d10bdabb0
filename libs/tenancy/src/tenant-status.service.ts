import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import type { RestaurantStatus } from './restaurant.entity';
import { RestaurantRepository } from './restaurant.repository';

const TTL_MS = 30_000;
const key = (restaurantId: string): string => `tenant-status:${restaurantId}`;

/**
 * Whether a restaurant may use the API, checked on every tenant request. The
 * answer is cached (Redis in full mode, so every instance sees a change) and
 * dropped on every status change; a cache outage falls back to the database.
 */
@Injectable()
export class TenantStatusService {
  constructor(
    private readonly restaurants: RestaurantRepository,
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
  ) {}

  async statusOf(restaurantId: string): Promise<RestaurantStatus | null> {
    const cached = await this.cache.get<RestaurantStatus>(key(restaurantId)).catch(() => undefined);
    if (cached) return cached;
    const status = await this.restaurants.statusOf(restaurantId);
    if (status) await this.cache.set(key(restaurantId), status, TTL_MS).catch(() => undefined);
    return status;
  }

  /** Call after any status change, once the change is committed. */
  async forget(restaurantId: string): Promise<void> {
    await this.cache.del(key(restaurantId)).catch(() => undefined);
  }
}
