import { Injectable } from '@nestjs/common';
import { Clock } from '@coffee/common';
import { trustedTenantScope } from '@coffee/database';
import { RestaurantRepository } from '@coffee/tenancy';
import { DailyReportRepository } from './daily-report.repository';
import type { SalesReport } from './domain/sales-report';
import { SalesReportBuilder } from './sales-report.builder';

/** Generates and stores the daily report of one restaurant and date; safe to run again (it replaces the row). */
@Injectable()
export class DailyReportGenerator {
  constructor(
    private readonly builder: SalesReportBuilder,
    private readonly reports: DailyReportRepository,
    private readonly restaurants: RestaurantRepository,
    private readonly clock: Clock,
  ) {}

  async generate(restaurantId: string, date: string): Promise<{ date: string; orders: number; revenue: number }> {
    const restaurant = await this.restaurants.findById(restaurantId);
    if (!restaurant) throw new Error(`reports.daily: no restaurant ${restaurantId}`);
    const scope = trustedTenantScope(restaurantId);
    const report: SalesReport = await this.builder.build(scope, date, date);
    await this.reports.save(scope, {
      businessDate: date,
      currency: restaurant.currency,
      report: JSON.stringify(report),
      generatedAt: this.clock.now(),
    });
    return { date, orders: report.orders, revenue: report.revenue };
  }
}
