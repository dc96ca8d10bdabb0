/**
 * The arithmetic of the sales rollups, kept pure so the live path (a payment)
 * and the rebuild (from raw orders) cannot disagree: both turn paid orders into
 * rollup rows with these functions.
 */

/** A paid order, as far as the rollups need it. */
export interface PaidOrder {
  paidAt: Date;
  subtotal: number;
  discount: number;
  tax: number;
  tip: number;
}

/** A line of a paid order, as far as the rollups need it. */
export interface PaidLine {
  menuItemId: string;
  categoryId: string | null;
  name: string;
  quantity: number;
  lineTotal: number;
}

/** One row of `sales_hourly`: a local business date and hour (0–23) of one restaurant. */
export interface HourlyRollup {
  businessDate: string;
  hour: number;
  orders: number;
  /** Net: Σ(subtotal − discount), no tax, no tips. */
  revenue: number;
  tax: number;
  tips: number;
}

/** One row of `sales_daily_items`: an item's sales on a local business date. */
export interface ItemRollup {
  businessDate: string;
  menuItemId: string;
  categoryId: string | null;
  name: string;
  quantity: number;
  /** Σ lineTotal (modifiers included, before tax and order discounts). */
  revenue: number;
}

/** Rows sorted by their primary key, the order in which they are upserted (avoids lock-order deadlocks). */
export interface SalesRollup {
  hourly: HourlyRollup[];
  items: ItemRollup[];
}

/** One row of `sales_monthly_hourly`: the hourly rows of a month (`YYYY-MM`) summed per hour of day. */
export interface MonthlyHourRollup {
  month: string;
  hour: number;
  orders: number;
  revenue: number;
  tax: number;
  tips: number;
}

/**
 * One row of `sales_monthly_items`: an item's daily rows of a month summed,
 * with the name and category of its last day there (`lastDay`), as a daily row
 * keeps those of its last payment.
 */
export interface MonthlyItemRollup {
  month: string;
  menuItemId: string;
  categoryId: string | null;
  name: string;
  quantity: number;
  revenue: number;
  lastDay: string;
}

/** The monthly rollups, sorted by primary key like {@link SalesRollup}. */
export interface MonthlySalesRollup {
  hourly: MonthlyHourRollup[];
  items: MonthlyItemRollup[];
}

/** The month (`YYYY-MM`) of a business date. */
export const monthOf = (date: string): string => date.slice(0, 7);

/**
 * The monthly rows of daily rows: amounts add up; an item's name and category
 * are those of its latest day (the later row on a tie, as the upserts do). A
 * month's rows are always this function of its daily rows, whether payments
 * maintain them or a rebuild recomputes them.
 */
export function monthlyOf(daily: SalesRollup): MonthlySalesRollup {
  const hourly = new Map<string, MonthlyHourRollup>();
  const items = new Map<string, MonthlyItemRollup>();
  for (const row of daily.hourly) {
    const month = monthOf(row.businessDate);
    const key = `${month}|${row.hour}`;
    const sum = hourly.get(key);
    if (!sum)
      hourly.set(key, {
        month,
        hour: row.hour,
        orders: row.orders,
        revenue: row.revenue,
        tax: row.tax,
        tips: row.tips,
      });
    else {
      sum.orders += row.orders;
      sum.revenue += row.revenue;
      sum.tax += row.tax;
      sum.tips += row.tips;
    }
  }
  for (const row of daily.items) {
    const month = monthOf(row.businessDate);
    const key = `${month}|${row.menuItemId}`;
    const sum = items.get(key);
    if (!sum)
      items.set(key, {
        month,
        menuItemId: row.menuItemId,
        categoryId: row.categoryId,
        name: row.name,
        quantity: row.quantity,
        revenue: row.revenue,
        lastDay: row.businessDate,
      });
    else {
      sum.quantity += row.quantity;
      sum.revenue += row.revenue;
      if (row.businessDate >= sum.lastDay) {
        sum.lastDay = row.businessDate;
        sum.name = row.name;
        sum.categoryId = row.categoryId;
      }
    }
  }
  return {
    hourly: [...hourly.values()].sort((a, b) => a.month.localeCompare(b.month) || a.hour - b.hour),
    items: [...items.values()].sort(
      (a, b) =>
        a.month.localeCompare(b.month) || (a.menuItemId < b.menuItemId ? -1 : a.menuItemId > b.menuItemId ? 1 : 0),
    ),
  };
}

/**
 * How a range of business dates is read: the whole calendar months inside it
 * from the monthly rows, the days of the months it only partly covers from the
 * daily rows. A year is then about 11 months and 31 days of rows, not 365 days.
 */
export interface RangePlan {
  /** Inclusive date ranges read from the daily rows (none, one or two). */
  days: { from: string; to: string }[];
  /** Inclusive month range read from the monthly rows, or null. */
  months: { from: string; to: string } | null;
}

/** Splits `from`…`to` (inclusive business dates, from ≤ to) into whole months and the days around them. */
export function planRange(from: string, to: string): RangePlan {
  const firstWhole = from.endsWith('-01') ? monthOf(from) : monthOf(addMonths(from, 1));
  const lastWhole = addDays(to, 1).endsWith('-01') ? monthOf(to) : monthOf(addMonths(to, -1));
  if (firstWhole > lastWhole) return { days: [{ from, to }], months: null };
  const days: RangePlan['days'] = [];
  const wholeStart = `${firstWhole}-01`;
  if (from < wholeStart) days.push({ from, to: addDays(wholeStart, -1) });
  const wholeEnd = addDays(`${monthOf(addMonths(`${lastWhole}-01`, 1))}-01`, -1);
  if (to > wholeEnd) days.push({ from: addDays(wholeEnd, 1), to });
  return { days, months: { from: firstWhole, to: lastWhole } };
}

/** The first day of the month `months` after (or before) the month of `date`. */
function addMonths(date: string, months: number): string {
  const at = new Date(`${monthOf(date)}-01T00:00:00Z`);
  at.setUTCMonth(at.getUTCMonth() + months);
  return at.toISOString().slice(0, 10);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The local date (YYYY-MM-DD) and hour (0–23) of an instant in a time zone, DST included. */
export function localDateAndHour(at: Date, timeZone: string): { businessDate: string; hour: number } {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(at)
      .map((part) => [part.type, part.value]),
  );
  return { businessDate: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour) };
}

/** What one payment adds to the rollups: one hourly row and one row per item (lines of the same item summed). */
export function rollupOfPayment(order: PaidOrder, lines: readonly PaidLine[], timeZone: string): SalesRollup {
  const { businessDate, hour } = localDateAndHour(order.paidAt, timeZone);
  const items = new Map<string, ItemRollup>();
  for (const line of lines) {
    const row = items.get(line.menuItemId);
    if (row) {
      row.quantity += line.quantity;
      row.revenue += line.lineTotal;
    } else {
      items.set(line.menuItemId, {
        businessDate,
        menuItemId: line.menuItemId,
        categoryId: line.categoryId,
        name: line.name,
        quantity: line.quantity,
        revenue: line.lineTotal,
      });
    }
  }
  return {
    hourly: [
      { businessDate, hour, orders: 1, revenue: order.subtotal - order.discount, tax: order.tax, tips: order.tip },
    ],
    items: [...items.values()].sort(byItemKey),
  };
}

/**
 * Sums rollups the way the upserts do: amounts add up, and an item's name and
 * category are those of the last rollup merged (payments in `paidAt` order).
 */
export function mergeRollups(rollups: readonly SalesRollup[]): SalesRollup {
  const hourly = new Map<string, HourlyRollup>();
  const items = new Map<string, ItemRollup>();
  for (const rollup of rollups) {
    for (const row of rollup.hourly) {
      const key = `${row.businessDate}|${row.hour}`;
      const sum = hourly.get(key);
      if (!sum) hourly.set(key, { ...row });
      else {
        sum.orders += row.orders;
        sum.revenue += row.revenue;
        sum.tax += row.tax;
        sum.tips += row.tips;
      }
    }
    for (const row of rollup.items) {
      const key = `${row.businessDate}|${row.menuItemId}`;
      const sum = items.get(key);
      if (!sum) items.set(key, { ...row });
      else {
        sum.quantity += row.quantity;
        sum.revenue += row.revenue;
        sum.name = row.name;
        sum.categoryId = row.categoryId;
      }
    }
  }
  return {
    hourly: [...hourly.values()].sort((a, b) => a.businessDate.localeCompare(b.businessDate) || a.hour - b.hour),
    items: [...items.values()].sort(byItemKey),
  };
}

function byItemKey(a: ItemRollup, b: ItemRollup): number {
  return (
    a.businessDate.localeCompare(b.businessDate) ||
    (a.menuItemId < b.menuItemId ? -1 : a.menuItemId > b.menuItemId ? 1 : 0)
  );
}

export interface CategoryTotals {
  categoryId: string | null;
  quantity: number;
  revenue: number;
}

export interface ItemTotals {
  menuItemId: string;
  name: string;
  quantity: number;
  revenue: number;
}

/** Per item and category sums over a range, as the rollup repository reads them. */
export interface ItemCategoryRow {
  menuItemId: string;
  categoryId: string | null;
  quantity: number;
  revenue: number;
  lastDay: string;
}

/**
 * Category totals (unordered) and the `limit` best items by revenue, then
 * quantity, then id; an item sold under two categories in the range counts
 * once, with the last day it sold (whose name the report shows).
 */
export function summarizeItems(
  rows: readonly ItemCategoryRow[],
  limit: number,
): { byCategory: CategoryTotals[]; top: Omit<ItemCategoryRow, 'categoryId'>[] } {
  const categories = new Map<string | null, CategoryTotals>();
  const items = new Map<string, Omit<ItemCategoryRow, 'categoryId'>>();
  for (const row of rows) {
    const category = categories.get(row.categoryId) ?? { categoryId: row.categoryId, quantity: 0, revenue: 0 };
    category.quantity += row.quantity;
    category.revenue += row.revenue;
    categories.set(row.categoryId, category);
    const item = items.get(row.menuItemId);
    if (!item)
      items.set(row.menuItemId, {
        menuItemId: row.menuItemId,
        quantity: row.quantity,
        revenue: row.revenue,
        lastDay: row.lastDay,
      });
    else {
      item.quantity += row.quantity;
      item.revenue += row.revenue;
      if (row.lastDay > item.lastDay) item.lastDay = row.lastDay;
    }
  }
  const top = [...items.values()]
    .sort(
      (a, b) =>
        b.revenue - a.revenue ||
        b.quantity - a.quantity ||
        (a.menuItemId < b.menuItemId ? -1 : a.menuItemId > b.menuItemId ? 1 : 0),
    )
    .slice(0, limit);
  return { byCategory: [...categories.values()], top };
}

/** Dates as `YYYY-MM-DD`, calendar arithmetic in UTC (business dates carry no zone). */
export function addDays(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

/**
 * An instant range surely containing every moment of the local dates
 * `from`…`to` in any zone (UTC offsets lie within −12 h…+14 h); callers keep
 * what `localDateAndHour` puts inside the dates.
 */
export function instantsAround(from: string, to: string): { start: Date; end: Date } {
  const start = new Date(`${from}T00:00:00Z`).getTime() - 15 * 3600 * 1000;
  const end = new Date(`${addDays(to, 1)}T00:00:00Z`).getTime() + 15 * 3600 * 1000;
  return { start: new Date(start), end: new Date(end) };
}
