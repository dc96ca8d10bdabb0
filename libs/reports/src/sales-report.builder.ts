import { Injectable } from '@nestjs/common';
import type { TenantScope } from '@coffee/database';
import { MenuCategoryNames } from '@coffee/menu';
import { SalesReader } from '@coffee/orders';
import { averageTicket, type SalesReport } from './domain/sales-report';

/** The name shown for sales whose category is unknown (lines recorded before categories were). */
export const UNKNOWN_CATEGORY = '(no category)';
/** The name shown for a category id that no longer names a row. */
export const DELETED_CATEGORY = '(deleted category)';

/**
 * Builds a sales report for local dates `from`…`to` from the rollups (through
 * the orders library's reader) and the current category names (deleted
 * categories keep theirs).
 */
@Injectable()
export class SalesReportBuilder {
  constructor(
    private readonly sales: SalesReader,
    private readonly categories: MenuCategoryNames,
  ) {}

  async build(scope: TenantScope, from: string, to: string): Promise<SalesReport> {
    const summary = await this.sales.summary(scope, from, to);
    const ids = summary.byCategory.flatMap((row) => (row.categoryId ? [row.categoryId] : []));
    const names = await this.categories.namesOf(scope, ids);
    const byCategory = summary.byCategory
      .map((row) => ({
        categoryId: row.categoryId,
        name: row.categoryId ? (names.get(row.categoryId) ?? DELETED_CATEGORY) : UNKNOWN_CATEGORY,
        revenue: row.revenue,
        quantity: row.quantity,
      }))
      .sort((a, b) => b.revenue - a.revenue || a.name.localeCompare(b.name));
    return {
      revenue: summary.revenue,
      tax: summary.tax,
      tips: summary.tips,
      orders: summary.orders,
      averageTicket: averageTicket(summary.revenue, summary.orders),
      byCategory,
      topItems: summary.topItems,
      byHour: summary.byHour,
    };
  }
}
