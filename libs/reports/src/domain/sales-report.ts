import { toCsv } from './csv';
import { formatMinorUnits } from './money';

/** What the dashboard and the daily report show, in integer minor units. */
export interface SalesReport {
  revenue: number;
  tax: number;
  tips: number;
  orders: number;
  averageTicket: number;
  byCategory: { categoryId: string | null; name: string; revenue: number; quantity: number }[];
  topItems: { menuItemId: string; name: string; quantity: number; revenue: number }[];
  byHour: { hour: number; orders: number; revenue: number }[];
}

/** A stored daily report: the dashboard of that one day, with its date, currency and generation time. */
export interface DailyReport extends SalesReport {
  date: string;
  currency: string;
  generatedAt: string;
}

/** round(revenue / orders), half up; 0 without orders. */
export function averageTicket(revenue: number, orders: number): number {
  return orders === 0 ? 0 : Math.round(revenue / orders);
}

/**
 * The daily report as one CSV table: a `section` column says which part a row
 * belongs to (summary, category, item, hour), so the file loads into one
 * sheet and filters easily. Money is a decimal string in the currency's units.
 */
export function dailyReportCsv(report: DailyReport): string {
  const money = (amount: number): string => formatMinorUnits(amount, report.currency);
  const rows: (string | number)[][] = [
    ['section', 'key', 'name', 'orders', 'quantity', 'revenue', 'tax', 'tips', 'average_ticket', 'currency', 'date'],
    [
      'summary',
      '',
      '',
      report.orders,
      '',
      money(report.revenue),
      money(report.tax),
      money(report.tips),
      money(report.averageTicket),
      report.currency,
      report.date,
    ],
  ];
  for (const category of report.byCategory)
    rows.push([
      'category',
      category.categoryId ?? '',
      category.name,
      '',
      category.quantity,
      money(category.revenue),
      '',
      '',
      '',
      report.currency,
      report.date,
    ]);
  for (const item of report.topItems)
    rows.push([
      'item',
      item.menuItemId,
      item.name,
      '',
      item.quantity,
      money(item.revenue),
      '',
      '',
      '',
      report.currency,
      report.date,
    ]);
  for (const hour of report.byHour)
    rows.push([
      'hour',
      String(hour.hour).padStart(2, '0'),
      '',
      hour.orders,
      '',
      money(hour.revenue),
      '',
      '',
      '',
      report.currency,
      report.date,
    ]);
  return toCsv(rows);
}
