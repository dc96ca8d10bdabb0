import { Injectable } from '@nestjs/common';
import { Clock } from '@coffee/common';
import { candidateBusinessDates, ordersToday } from './domain/orders-today';
import type { PlatformStatsResponse } from './dto/stats.dto';
import { PlatformStatsRepository } from './platform-stats.repository';

/** The console's headline numbers. */
@Injectable()
export class PlatformStatsService {
  constructor(
    private readonly stats: PlatformStatsRepository,
    private readonly clock: Clock,
  ) {}

  async current(): Promise<PlatformStatsResponse> {
    const now = this.clock.now();
    const [byStatus, users, counters, mrr] = await Promise.all([
      this.stats.restaurantsByStatus(),
      this.stats.restaurantUsers(),
      this.stats.countersOn(candidateBusinessDates(now)),
      this.stats.activeMonthlyRevenue(),
    ]);
    return {
      restaurants: [...byStatus.values()].reduce((sum, n) => sum + n, 0),
      activeRestaurants: byStatus.get('active') ?? 0,
      users,
      ordersToday: ordersToday(counters, now),
      mrr,
    };
  }
}
