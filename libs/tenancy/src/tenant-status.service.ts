import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { rawDate } from '@coffee/database';
import type { RestaurantStatus } from './restaurant.entity';
import type { SubscriptionStatus, TenantStanding } from './tenant-standing';

const STANDING_SQL = `SELECT r.status AS restaurantStatus, s.status AS subscriptionStatus, s.past_due_since AS pastDueSince
FROM restaurants r LEFT JOIN subscriptions s ON s.restaurant_id = r.id WHERE r.id = ?`;

/**
 * Whether a restaurant may use the API: its status and its subscription's
 * standing. Read from the database every time (primary-key and unique-index
 * lookups): a suspension must hold on the very next request on every
 * instance, which a cache can break whenever its invalidation is lost.
 * Users' requests get the same columns with their session check in one query
 * (RefreshTokenRepository.liveSession); this serves API keys, sign-in and refresh.
 */
@Injectable()
export class TenantStatusService {
  constructor(private readonly dataSource: DataSource) {}

  async standingOf(restaurantId: string): Promise<TenantStanding> {
    const rows: {
      restaurantStatus: RestaurantStatus;
      subscriptionStatus: SubscriptionStatus | null;
      pastDueSince: unknown;
    }[] = await this.dataSource.query(STANDING_SQL, [restaurantId]);
    const row = rows[0];
    if (!row) return { restaurantStatus: null, subscription: null };
    return {
      restaurantStatus: row.restaurantStatus,
      subscription: row.subscriptionStatus
        ? { status: row.subscriptionStatus, pastDueSince: rawDate(row.pastDueSince) }
        : null,
    };
  }

  async statusOf(restaurantId: string): Promise<RestaurantStatus | null> {
    return (await this.standingOf(restaurantId)).restaurantStatus;
  }
}
