import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { DailyCounter } from './domain/orders-today';

/** A count or sum from a raw query: mysql2 answers BIGINT and DECIMAL as strings, SQLite as numbers. */
function integer(value: unknown): number {
  const number = Number(value ?? 0);
  if (!Number.isSafeInteger(number)) throw new RangeError(`Not an exact integer: ${String(value)}`);
  return number;
}

/**
 * The platform's numbers, each read through an index rather than by scanning
 * a table's rows: restaurants by status from ix_restaurants_status, accounts
 * from ix_users_restaurant, orders from the daily counters of a few dates
 * (ix_order_counters_business_date), revenue from the active subscriptions
 * (ix_subscriptions_status_period) and the plans by primary key.
 */
@Injectable()
export class PlatformStatsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async restaurantsByStatus(): Promise<Map<string, number>> {
    const rows: { status: string; n: unknown }[] = await this.dataSource.query(
      'SELECT status, COUNT(*) AS n FROM restaurants GROUP BY status',
    );
    return new Map(rows.map((row) => [row.status, integer(row.n)]));
  }

  /** Accounts that belong to a restaurant (sysadmins belong to none). */
  async restaurantUsers(): Promise<number> {
    const rows: { n: unknown }[] = await this.dataSource.query(
      'SELECT COUNT(*) AS n FROM users WHERE restaurant_id IS NOT NULL',
    );
    return integer(rows[0]?.n);
  }

  /** The daily order counters of these business dates, each with its restaurant's time zone. */
  async countersOn(dates: readonly string[]): Promise<DailyCounter[]> {
    if (dates.length === 0) return [];
    const rows: { businessDate: string; lastNumber: unknown; timeZone: string }[] = await this.dataSource.query(
      `SELECT c.business_date AS businessDate, c.last_number AS lastNumber, r.timezone AS timeZone
       FROM order_counters c INNER JOIN restaurants r ON r.id = c.restaurant_id
       WHERE c.business_date IN (${dates.map(() => '?').join(', ')})`,
      [...dates],
    );
    return rows.map((row) => ({ ...row, lastNumber: integer(row.lastNumber) }));
  }

  /** Σ monthly price of the plan of every `active` subscription, in the plans' minor units. */
  async activeMonthlyRevenue(): Promise<number> {
    const rows: { total: unknown }[] = await this.dataSource.query(
      `SELECT COALESCE(SUM(p.price_monthly), 0) AS total
       FROM subscriptions s INNER JOIN plans p ON p.code = s.plan_code
       WHERE s.status = 'active'`,
    );
    return integer(rows[0]?.total);
  }
}
