import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { moneyColumn } from '@coffee/database';

/**
 * Paid orders summed per restaurant, local business date (of `paid_at`) and
 * hour. Derived data of orders: maintained in each payment's transaction and
 * rebuildable from the orders (`reports.rebuild-rollups`).
 */
@Entity({ name: 'sales_hourly' })
export class SalesHourlyEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  restaurantId!: string;

  @PrimaryColumn({ type: 'varchar', length: 10 })
  businessDate!: string;

  /** 0–23, local time. */
  @PrimaryColumn({ type: 'smallint' })
  hour!: number;

  @Column({ type: 'int' })
  orderCount!: number;

  /** Σ(subtotal − discount). */
  @Column(moneyColumn()) revenue!: number;
  @Column(moneyColumn()) tax!: number;
  @Column(moneyColumn()) tips!: number;
}

/** Paid order lines summed per restaurant, local business date and menu item. */
@Entity({ name: 'sales_daily_items' })
export class SalesDailyItemEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  restaurantId!: string;

  @PrimaryColumn({ type: 'varchar', length: 10 })
  businessDate!: string;

  @PrimaryColumn({ type: 'varchar', length: 36 })
  menuItemId!: string;

  /** The category of the item's latest paid line that day. */
  @Column({ type: 'varchar', length: 36, nullable: true })
  categoryId!: string | null;

  /** The item's name on its latest paid line that day. */
  @Column({ type: 'varchar', length: 120 })
  name!: string;

  @Column({ type: 'int' })
  quantity!: number;

  /** Σ lineTotal. */
  @Column(moneyColumn()) revenue!: number;
}

/**
 * `sales_hourly` summed per calendar month (`YYYY-MM` of the business date)
 * and hour: what the dashboard reads for the whole months of a long range.
 * Maintained with the daily rows in each payment's transaction.
 */
@Entity({ name: 'sales_monthly_hourly' })
export class SalesMonthlyHourlyEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  restaurantId!: string;

  @PrimaryColumn({ type: 'varchar', length: 7 })
  month!: string;

  @PrimaryColumn({ type: 'smallint' })
  hour!: number;

  @Column({ type: 'int' })
  orderCount!: number;

  @Column(moneyColumn()) revenue!: number;
  @Column(moneyColumn()) tax!: number;
  @Column(moneyColumn()) tips!: number;
}

/** `sales_daily_items` summed per calendar month and menu item. */
@Entity({ name: 'sales_monthly_items' })
export class SalesMonthlyItemEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  restaurantId!: string;

  @PrimaryColumn({ type: 'varchar', length: 7 })
  month!: string;

  @PrimaryColumn({ type: 'varchar', length: 36 })
  menuItemId!: string;

  /** The category on the item's last day of sales in the month. */
  @Column({ type: 'varchar', length: 36, nullable: true })
  categoryId!: string | null;

  /** The name on the item's last day of sales in the month. */
  @Column({ type: 'varchar', length: 120 })
  name!: string;

  @Column({ type: 'int' })
  quantity!: number;

  @Column(moneyColumn()) revenue!: number;

  /** The item's last business date with sales in the month (where the daily row with its name is). */
  @Column({ type: 'varchar', length: 10 })
  lastDay!: string;
}

/**
 * A rebuild of a restaurant's rollups still owed for history paid before the
 * rollups existed (queued by migration 1764600000000, deleted once done).
 */
@Entity({ name: 'sales_rollup_backfills' })
export class SalesRollupBackfillEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  restaurantId!: string;

  /** Local business dates, YYYY-MM-DD. */
  @Column({ type: 'varchar', length: 10 })
  fromDate!: string;

  @Column({ type: 'varchar', length: 10 })
  toDate!: string;

  /** How many times a rebuild job that ended without removing the row was replaced by a fresh one (part of the job id). */
  @Column({ type: 'int', default: 0 })
  restarts!: number;

  // TypeORM's defaults per driver: datetime(6) with CURRENT_TIMESTAMP(6) on MySQL/MariaDB.
  @CreateDateColumn()
  createdAt!: Date;
}
