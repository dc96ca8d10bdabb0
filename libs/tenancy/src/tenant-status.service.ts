import { Injectable } from '@nestjs/common';
import type { RestaurantStatus } from './restaurant.entity';
import { RestaurantRepository } from './restaurant.repository';

/**
 * Whether a restaurant may use the API. Read from the database every time (a
 * primary-key lookup): a suspension must hold on the very next request on
 * every instance, which a cache can break whenever its invalidation is lost.
 * Users' requests get the status with their session check in the same query;
 * this serves API keys, sign-in and refresh.
 */
@Injectable()
export class TenantStatusService {
  constructor(private readonly restaurants: RestaurantRepository) {}

  statusOf(restaurantId: string): Promise<RestaurantStatus | null> {
    return this.restaurants.statusOf(restaurantId);
  }
}
