import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { isMysql, type TenantScope, type TransactionScope } from '@coffee/database';
import { monthlyOf, monthOf, type MonthlySalesRollup, type RangePlan, type SalesRollup } from './sales-rollup';
import { SalesHourlyEntity } from './sales.entities';

/** Sums over a range of business dates, by hour of day. */
export interface HourTotals {
  hour: number;
  orders: number;
  revenue: number;
  tax: number;
  tips: number;
}

/** An item's sales under one category over a range, and the last day it sold there. */
export interface ItemCategorySales {
  menuItemId: string;
  categoryId: string | null;
  quantity: number;
  revenue: number;
  lastDay: string;
}

/** SUM() of BIGINT is a DECIMAL string on MySQL, a number on SQLite. */
const int = (value: unknown): number => Number(value ?? 0);

/**
 * The sales rollups of one restaurant: daily (`sales_hourly`,
 * `sales_daily_items`) and monthly (`sales_monthly_hourly`,
 * `sales_monthly_items`, always {@link monthlyOf} the daily rows).
 * Writes add to rows with one upsert per table ({@link upsertAdding}); rows go
 * in primary-key order so two payments lock them in the same order.
 */
@Injectable()
export class SalesRollupRepository {
  constructor(@InjectRepository(SalesHourlyEntity) private readonly hourly: Repository<SalesHourlyEntity>) {}

  /** Adds a payment's rollup to the daily and monthly rows. */
  async add(tx: TransactionScope, rollup: SalesRollup): Promise<void> {
    await this.addDaily(tx, rollup);
    await this.addMonthly(tx, monthlyOf(rollup));
  }

  /** Adds to the daily rows only: a rebuild then recomputes the month ({@link recomputeMonth}). */
  async addDaily(tx: TransactionScope, rollup: SalesRollup): Promise<void> {
    const { restaurantId } = tx;
    await upsertAdding(
      tx.manager,
      HOURLY.daily,
      rollup.hourly.map((row) => [restaurantId, row.businessDate, ...hourTotals(row)]),
    );
    await upsertAdding(
      tx.manager,
      ITEMS.daily,
      rollup.items.map((row) => [
        restaurantId,
        row.businessDate,
        row.menuItemId,
        row.categoryId,
        row.name,
        row.quantity,
        row.revenue,
      ]),
    );
  }

  /** Adds to the monthly rows. */
  private async addMonthly(tx: TransactionScope, monthly: MonthlySalesRollup): Promise<void> {
    const { restaurantId } = tx;
    await upsertAdding(
      tx.manager,
      HOURLY.monthly,
      monthly.hourly.map((row) => [restaurantId, row.month, ...hourTotals(row)]),
    );
    await upsertAdding(
      tx.manager,
      ITEMS.monthly,
      monthly.items.map((row) => [
        restaurantId,
        row.month,
        row.menuItemId,
        row.categoryId,
        row.name,
        row.quantity,
        row.revenue,
        row.lastDay,
      ]),
    );
  }

  /**
   * Recomputes the monthly rows of `month` from its daily rows (after a
   * rebuild changed some of them). The daily rows are read with a locking read
   * first, in the order payments lock (daily, then monthly): a payment in
   * flight on that month commits before the read and is in it, one arriving
   * later waits and adds on top; neither counts twice nor goes missing.
   */
  async recomputeMonth(tx: TransactionScope, month: string): Promise<void> {
    const { manager, restaurantId } = tx;
    const lock = isMysql(manager) ? ' FOR UPDATE' : '';
    const first = `${month}-01`;
    const last = `${month}-31`;
    const daily = await this.dailyRows(manager, restaurantId, first, last, lock);
    for (const table of ['sales_monthly_hourly', 'sales_monthly_items']) {
      await manager.query(`DELETE FROM ${table} WHERE restaurant_id = ? AND month = ?`, [restaurantId, month]);
    }
    await this.addMonthly(tx, monthlyOf(daily));
  }

  /** Deletes the daily rows of the business dates `from`…`to` (then {@link recomputeMonth}). */
  async deleteRange(tx: TransactionScope, from: string, to: string): Promise<void> {
    for (const table of ['sales_hourly', 'sales_daily_items']) {
      await tx.manager.query(
        `DELETE FROM ${table} WHERE restaurant_id = ? AND business_date >= ? AND business_date <= ?`,
        [tx.restaurantId, from, to],
      );
    }
  }

  /**
   * The rows of a range as stored, in key order (for tests and the rebuild
   * check): the daily rows of the dates and the monthly rows of their months.
   */
  async rows(scope: TenantScope, from: string, to: string): Promise<SalesRollup & { monthly: MonthlySalesRollup }> {
    const manager = this.manager(scope);
    const daily = await this.dailyRows(manager, scope.restaurantId, from, to, '');
    const hourly: Record<string, unknown>[] = await manager.query(
      'SELECT month, hour, order_count, revenue, tax, tips FROM sales_monthly_hourly WHERE restaurant_id = ? AND month >= ? AND month <= ? ORDER BY month, hour',
      [scope.restaurantId, monthOf(from), monthOf(to)],
    );
    const items: Record<string, unknown>[] = await manager.query(
      'SELECT month, menu_item_id, category_id, name, quantity, revenue, last_day FROM sales_monthly_items WHERE restaurant_id = ? AND month >= ? AND month <= ? ORDER BY month, menu_item_id',
      [scope.restaurantId, monthOf(from), monthOf(to)],
    );
    return {
      ...daily,
      monthly: {
        hourly: hourly.map((row) => ({
          month: String(row.month),
          hour: int(row.hour),
          orders: int(row.order_count),
          revenue: int(row.revenue),
          tax: int(row.tax),
          tips: int(row.tips),
        })),
        items: items.map((row) => ({
          month: String(row.month),
          menuItemId: String(row.menu_item_id),
          categoryId: nullableString(row.category_id),
          name: String(row.name),
          quantity: int(row.quantity),
          revenue: int(row.revenue),
          lastDay: String(row.last_day),
        })),
      },
    };
  }

  private async dailyRows(
    manager: EntityManager,
    restaurantId: string,
    from: string,
    to: string,
    lock: '' | ' FOR UPDATE',
  ): Promise<SalesRollup> {
    const hourly: Record<string, unknown>[] = await manager.query(
      `SELECT business_date, hour, order_count, revenue, tax, tips FROM sales_hourly WHERE restaurant_id = ? AND business_date >= ? AND business_date <= ? ORDER BY business_date, hour${lock}`,
      [restaurantId, from, to],
    );
    const items: Record<string, unknown>[] = await manager.query(
      `SELECT business_date, menu_item_id, category_id, name, quantity, revenue FROM sales_daily_items WHERE restaurant_id = ? AND business_date >= ? AND business_date <= ? ORDER BY business_date, menu_item_id${lock}`,
      [restaurantId, from, to],
    );
    return {
      hourly: hourly.map((row) => ({
        businessDate: String(row.business_date),
        hour: int(row.hour),
        orders: int(row.order_count),
        revenue: int(row.revenue),
        tax: int(row.tax),
        tips: int(row.tips),
      })),
      items: items.map((row) => ({
        businessDate: String(row.business_date),
        menuItemId: String(row.menu_item_id),
        categoryId: nullableString(row.category_id),
        name: String(row.name),
        quantity: int(row.quantity),
        revenue: int(row.revenue),
      })),
    };
  }

  /** Totals by hour of day over a planned range: at most 24 rows, read from primary keys. */
  async byHour(scope: TenantScope, plan: RangePlan): Promise<HourTotals[]> {
    const { sql, params } = unionOf(
      scope.restaurantId,
      plan,
      'SELECT hour, order_count, revenue, tax, tips FROM sales_hourly',
      'SELECT hour, order_count, revenue, tax, tips FROM sales_monthly_hourly',
    );
    const rows: Record<string, unknown>[] = await this.manager(scope).query(
      `SELECT hour, SUM(order_count) AS orders, SUM(revenue) AS revenue, SUM(tax) AS tax, SUM(tips) AS tips FROM (${sql}) sales GROUP BY hour`,
      params,
    );
    return rows.map((row) => ({
      hour: int(row.hour),
      orders: int(row.orders),
      revenue: int(row.revenue),
      tax: int(row.tax),
      tips: int(row.tips),
    }));
  }

  /**
   * Sales per item and category over a planned range, in one pass over the
   * item rows (one result row per item, more if its category changed in the
   * range), so the caller sums categories and picks top items without a second scan.
   */
  async itemSales(scope: TenantScope, plan: RangePlan): Promise<ItemCategorySales[]> {
    const { sql, params } = unionOf(
      scope.restaurantId,
      plan,
      'SELECT menu_item_id, category_id, quantity, revenue, business_date AS last_day FROM sales_daily_items',
      'SELECT menu_item_id, category_id, quantity, revenue, last_day FROM sales_monthly_items',
    );
    const rows: Record<string, unknown>[] = await this.manager(scope).query(
      `SELECT menu_item_id, category_id, SUM(quantity) AS sold, SUM(revenue) AS takings, MAX(last_day) AS last_day FROM (${sql}) sales GROUP BY menu_item_id, category_id`,
      params,
    );
    return rows.map((row) => ({
      menuItemId: String(row.menu_item_id),
      categoryId: nullableString(row.category_id),
      quantity: int(row.sold),
      revenue: int(row.takings),
      lastDay: String(row.last_day),
    }));
  }

  /** Item names as stored on given days: a few primary-key reads. */
  async namesOn(
    scope: TenantScope,
    keys: { menuItemId: string; businessDate: string }[],
  ): Promise<Map<string, string>> {
    if (keys.length === 0) return new Map();
    const rows: Record<string, unknown>[] = await this.manager(scope).query(
      `SELECT menu_item_id, name FROM sales_daily_items WHERE restaurant_id = ? AND (${keys.map(() => '(business_date = ? AND menu_item_id = ?)').join(' OR ')})`,
      [scope.restaurantId, ...keys.flatMap((key) => [key.businessDate, key.menuItemId])],
    );
    return new Map(rows.map((row) => [String(row.menu_item_id), String(row.name)]));
  }

  private manager(scope: TenantScope): EntityManager {
    return scope.manager ?? this.hourly.manager;
  }
}

function nullableString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/**
 * The daily rows of a plan's days and the monthly rows of its months, as one
 * `UNION ALL` (each part a primary-key range of one restaurant).
 */
function unionOf(
  restaurantId: string,
  plan: RangePlan,
  dailySelect: string,
  monthlySelect: string,
): { sql: string; params: string[] } {
  const parts: string[] = [];
  const params: string[] = [];
  if (plan.days.length > 0) {
    parts.push(
      `${dailySelect} WHERE restaurant_id = ? AND (${plan.days.map(() => '(business_date >= ? AND business_date <= ?)').join(' OR ')})`,
    );
    params.push(restaurantId, ...plan.days.flatMap((range) => [range.from, range.to]));
  }
  if (plan.months) {
    parts.push(`${monthlySelect} WHERE restaurant_id = ? AND month >= ? AND month <= ?`);
    params.push(restaurantId, plan.months.from, plan.months.to);
  }
  return { sql: parts.join(' UNION ALL '), params };
}

function placeholders(rows: unknown[][]): string {
  return rows.map((row) => `(${row.map(() => '?').join(', ')})`).join(', ');
}

/**
 * An upsert that adds to counters: new rows are inserted, existing ones (by
 * `key`) get `add` columns increased by the incoming values and `latest`
 * columns set as the expressions say (`incoming(column)` is the value the row
 * would have been inserted with; `CASE` works on both engines). Assignments run
 * in order, which MySQL relies on: a column read by a later one is set last.
 */
interface AddingUpsert {
  table: string;
  columns: readonly string[];
  key: readonly string[];
  add: readonly string[];
  latest?: (incoming: (column: string) => string) => readonly string[];
}

const HOURLY_TOTALS = ['hour', 'order_count', 'revenue', 'tax', 'tips'] as const;
const hourTotals = (row: { hour: number; orders: number; revenue: number; tax: number; tips: number }): number[] => [
  row.hour,
  row.orders,
  row.revenue,
  row.tax,
  row.tips,
];

const HOURLY = {
  daily: {
    table: 'sales_hourly',
    columns: ['restaurant_id', 'business_date', ...HOURLY_TOTALS],
    key: ['restaurant_id', 'business_date', 'hour'],
    add: ['order_count', 'revenue', 'tax', 'tips'],
  },
  monthly: {
    table: 'sales_monthly_hourly',
    columns: ['restaurant_id', 'month', ...HOURLY_TOTALS],
    key: ['restaurant_id', 'month', 'hour'],
    add: ['order_count', 'revenue', 'tax', 'tips'],
  },
} satisfies Record<string, AddingUpsert>;

const ITEMS = {
  /** A day's item row takes the name and category of its latest payment. */
  daily: {
    table: 'sales_daily_items',
    columns: ['restaurant_id', 'business_date', 'menu_item_id', 'category_id', 'name', 'quantity', 'revenue'],
    key: ['restaurant_id', 'business_date', 'menu_item_id'],
    add: ['quantity', 'revenue'],
    latest: (incoming) => [`category_id = ${incoming('category_id')}`, `name = ${incoming('name')}`],
  },
  /**
   * A month's item row follows its latest day: name and category are taken
   * only from a row at least as recent as the stored `last_day`, which is set last.
   */
  monthly: {
    table: 'sales_monthly_items',
    columns: ['restaurant_id', 'month', 'menu_item_id', 'category_id', 'name', 'quantity', 'revenue', 'last_day'],
    key: ['restaurant_id', 'month', 'menu_item_id'],
    add: ['quantity', 'revenue'],
    latest: (incoming) => {
      const newer = `${incoming('last_day')} >= last_day`;
      return [
        `category_id = CASE WHEN ${newer} THEN ${incoming('category_id')} ELSE category_id END`,
        `name = CASE WHEN ${newer} THEN ${incoming('name')} ELSE name END`,
        `last_day = CASE WHEN ${newer} THEN ${incoming('last_day')} ELSE last_day END`,
      ];
    },
  },
} satisfies Record<string, AddingUpsert>;

/**
 * Runs an {@link AddingUpsert} for `rows` (nothing when empty): `INSERT … ON
 * DUPLICATE KEY UPDATE x = x + VALUES(x)` on MySQL/MariaDB, `INSERT … ON
 * CONFLICT … DO UPDATE SET x = x + excluded.x` on SQLite.
 */
async function upsertAdding(manager: EntityManager, upsert: AddingUpsert, rows: unknown[][]): Promise<void> {
  if (rows.length === 0) return;
  const mysql = isMysql(manager);
  const incoming = (column: string): string => (mysql ? `VALUES(${column})` : `excluded.${column}`);
  const assignments = [
    ...upsert.add.map((column) => `${column} = ${column} + ${incoming(column)}`),
    ...(upsert.latest?.(incoming) ?? []),
  ].join(', ');
  const insert = `INSERT INTO ${upsert.table} (${upsert.columns.join(', ')}) VALUES ${placeholders(rows)}`;
  const conflict = mysql ? 'ON DUPLICATE KEY UPDATE' : `ON CONFLICT (${upsert.key.join(', ')}) DO UPDATE SET`;
  await manager.query(`${insert} ${conflict} ${assignments}`, rows.flat());
}
