import { Injectable } from '@nestjs/common';
import type { TenantScope } from '@coffee/database';
import { SalesRollupRepository } from './sales-rollup.repository';
import { planRange, summarizeItems, type CategoryTotals, type ItemTotals } from './sales-rollup';

/** How many items `topItems` lists. */
export const TOP_ITEMS = 10;

/** Paid sales over local business dates `from`…`to`, from the rollups only (never the raw orders). */
export interface SalesSummary {
  revenue: number;
  tax: number;
  tips: number;
  orders: number;
  /** Every hour of the day, 0–23, summed over the range. */
  byHour: { hour: number; orders: number; revenue: number }[];
  /** By the category recorded on the lines (null: lines placed before categories were recorded). */
  byCategory: CategoryTotals[];
  topItems: ItemTotals[];
}

/**
 * What other libraries (reports) may read of the sales rollups: sums over a
 * range of business dates, from the monthly rows for the whole months in it
 * and the daily rows for the rest (at most 62 days), so the rows read stay
 * bounded by ~2 months of days plus one row per month, however long the range.
 */
@Injectable()
export class SalesReader {
  constructor(private readonly rollups: SalesRollupRepository) {}

  async summary(scope: TenantScope, from: string, to: string): Promise<SalesSummary> {
    const plan = planRange(from, to);
    const [hours, itemSales] = await Promise.all([
      this.rollups.byHour(scope, plan),
      this.rollups.itemSales(scope, plan),
    ]);
    const { byCategory, top } = summarizeItems(itemSales, TOP_ITEMS);
    const names = await this.rollups.namesOn(
      scope,
      top.map((item) => ({ menuItemId: item.menuItemId, businessDate: item.lastDay })),
    );
    const topItems: ItemTotals[] = top.map((item) => ({
      menuItemId: item.menuItemId,
      name: names.get(item.menuItemId) ?? '',
      quantity: item.quantity,
      revenue: item.revenue,
    }));
    const byHourMap = new Map(hours.map((row) => [row.hour, row]));
    return {
      revenue: hours.reduce((sum, row) => sum + row.revenue, 0),
      tax: hours.reduce((sum, row) => sum + row.tax, 0),
      tips: hours.reduce((sum, row) => sum + row.tips, 0),
      orders: hours.reduce((sum, row) => sum + row.orders, 0),
      byHour: Array.from({ length: 24 }, (_, hour) => ({
        hour,
        orders: byHourMap.get(hour)?.orders ?? 0,
        revenue: byHourMap.get(hour)?.revenue ?? 0,
      })),
      byCategory,
      topItems,
    };
  }
}
