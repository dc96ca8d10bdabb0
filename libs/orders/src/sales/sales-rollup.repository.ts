import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { isMysql, type TenantScope, type TransactionScope } from '@coffee/database';
import type { SalesRollup } from './sales-rollup';
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
 * The sales rollups (`sales_hourly`, `sales_daily_items`) of one restaurant.
 * Writes add to rows with one upsert per table: `INSERT … ON DUPLICATE KEY
 * UPDATE x = x + VALUES(x)` on MySQL/MariaDB, `INSERT … ON CONFLICT … DO
 * UPDATE SET x = x + excluded.x` on SQLite; rows go in primary-key order so two
 * payments lock them in the same order.
 */
@Injectable()
export class SalesRollupRepository {
  constructor(@InjectRepository(SalesHourlyEntity) private readonly hourly: Repository<SalesHourlyEntity>) {}

  async add(tx: TransactionScope, rollup: SalesRollup): Promise<void> {
    const { manager, restaurantId } = tx;
    const mysql = isMysql(manager);
    if (rollup.hourly.length > 0) {
      const rows = rollup.hourly.map((row) => [
        restaurantId,
        row.businessDate,
        row.hour,
        row.orders,
        row.revenue,
        row.tax,
        row.tips,
      ]);
      await manager.query(
        `INSERT INTO sales_hourly (restaurant_id, business_date, hour, order_count, revenue, tax, tips) VALUES ${placeholders(rows)} ` +
          (mysql
            ? 'ON DUPLICATE KEY UPDATE order_count = order_count + VALUES(order_count), revenue = revenue + VALUES(revenue), tax = tax + VALUES(tax), tips = tips + VALUES(tips)'
            : 'ON CONFLICT (restaurant_id, business_date, hour) DO UPDATE SET order_count = order_count + excluded.order_count, revenue = revenue + excluded.revenue, tax = tax + excluded.tax, tips = tips + excluded.tips'),
        rows.flat(),
      );
    }
    if (rollup.items.length > 0) {
      const rows = rollup.items.map((row) => [
        restaurantId,
        row.businessDate,
        row.menuItemId,
        row.categoryId,
        row.name,
        row.quantity,
        row.revenue,
      ]);
      await manager.query(
        `INSERT INTO sales_daily_items (restaurant_id, business_date, menu_item_id, category_id, name, quantity, revenue) VALUES ${placeholders(rows)} ` +
          (mysql
            ? 'ON DUPLICATE KEY UPDATE quantity = quantity + VALUES(quantity), revenue = revenue + VALUES(revenue), category_id = VALUES(category_id), name = VALUES(name)'
            : 'ON CONFLICT (restaurant_id, business_date, menu_item_id) DO UPDATE SET quantity = quantity + excluded.quantity, revenue = revenue + excluded.revenue, category_id = excluded.category_id, name = excluded.name'),
        rows.flat(),
      );
    }
  }

  /** Deletes the rollup rows of the business dates `from`…`to`. */
  async deleteRange(tx: TransactionScope, from: string, to: string): Promise<void> {
    for (const table of ['sales_hourly', 'sales_daily_items']) {
      await tx.manager.query(
        `DELETE FROM ${table} WHERE restaurant_id = ? AND business_date >= ? AND business_date <= ?`,
        [tx.restaurantId, from, to],
      );
    }
  }

  /** The rows of a range as stored, in key order (for tests and the rebuild check). */
  async rows(scope: TenantScope, from: string, to: string): Promise<SalesRollup> {
    const manager = this.manager(scope);
    const hourly: Record<string, unknown>[] = await manager.query(
      'SELECT business_date, hour, order_count, revenue, tax, tips FROM sales_hourly WHERE restaurant_id = ? AND business_date >= ? AND business_date <= ? ORDER BY business_date, hour',
      [scope.restaurantId, from, to],
    );
    const items: Record<string, unknown>[] = await manager.query(
      'SELECT business_date, menu_item_id, category_id, name, quantity, revenue FROM sales_daily_items WHERE restaurant_id = ? AND business_date >= ? AND business_date <= ? ORDER BY business_date, menu_item_id',
      [scope.restaurantId, from, to],
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

  /** Totals by hour of day over the range: at most 24 rows, read from the primary key. */
  async byHour(scope: TenantScope, from: string, to: string): Promise<HourTotals[]> {
    const rows: Record<string, unknown>[] = await this.manager(scope).query(
      'SELECT hour, SUM(order_count) AS orders, SUM(revenue) AS revenue, SUM(tax) AS tax, SUM(tips) AS tips FROM sales_hourly WHERE restaurant_id = ? AND business_date >= ? AND business_date <= ? GROUP BY hour',
      [scope.restaurantId, from, to],
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
   * Sales per item and category over the range, in one pass over the item
   * rows (one result row per item, two if its category changed in the range),
   * so the caller sums categories and picks top items without a second scan.
   */
  async itemSales(scope: TenantScope, from: string, to: string): Promise<ItemCategorySales[]> {
    const rows: Record<string, unknown>[] = await this.manager(scope).query(
      'SELECT menu_item_id, category_id, SUM(quantity) AS sold, SUM(revenue) AS takings, MAX(business_date) AS last_day FROM sales_daily_items WHERE restaurant_id = ? AND business_date >= ? AND business_date <= ? GROUP BY menu_item_id, category_id',
      [scope.restaurantId, from, to],
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

function placeholders(rows: unknown[][]): string {
  return rows.map((row) => `(${row.map(() => '?').join(', ')})`).join(', ');
}
