import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { MoreThan, type Repository } from 'typeorm';
import { SalesRollupBackfillEntity } from './sales.entities';

/** A rebuild of one restaurant's rollups still owed for history paid before the rollups existed. */
export interface SalesRollupBackfill {
  restaurantId: string;
  /** Local business dates, YYYY-MM-DD. */
  from: string;
  to: string;
  restarts: number;
  queuedAt: Date;
}

/**
 * The pending upgrade backfills (`sales_rollup_backfills`, one row per
 * restaurant). Maintenance spans all restaurants by design. Rows change only
 * through conditional statements on the values read, so several workers (and
 * the CLI) draining at once never remove a backfill that is not done.
 */
@Injectable()
export class SalesRollupBackfillRepository {
  constructor(
    @InjectRepository(SalesRollupBackfillEntity) private readonly rows: Repository<SalesRollupBackfillEntity>,
  ) {}

  /** A page of pending backfills in restaurant id order, after `afterRestaurantId` when given. */
  async page(afterRestaurantId: string | null, limit: number): Promise<SalesRollupBackfill[]> {
    const rows = await this.rows.find({
      where: afterRestaurantId === null ? {} : { restaurantId: MoreThan(afterRestaurantId) },
      order: { restaurantId: 'ASC' },
      take: limit,
    });
    return rows.map((row) => ({
      restaurantId: row.restaurantId,
      from: row.fromDate,
      to: row.toDate,
      restarts: row.restarts,
      queuedAt: row.createdAt,
    }));
  }

  /** Every pending backfill, a page at a time. */
  async *all(pageSize = 500): AsyncGenerator<SalesRollupBackfill> {
    let after: string | null = null;
    for (;;) {
      const page = await this.page(after, pageSize);
      yield* page;
      if (page.length < pageSize) return;
      after = page[page.length - 1].restaurantId;
    }
  }

  /** Removes the backfill if it still asks for exactly this range; false if it was gone or is another range. */
  async complete(restaurantId: string, from: string, to: string): Promise<boolean> {
    const result = await this.rows.delete({ restaurantId, fromDate: from, toDate: to });
    return (result.affected ?? 0) === 1;
  }

  /**
   * Counts one more restart if the row is still as read, so of several drains
   * seeing the same finished job exactly one enqueues its replacement.
   */
  async restart(backfill: SalesRollupBackfill): Promise<boolean> {
    const result = await this.rows.update(
      {
        restaurantId: backfill.restaurantId,
        fromDate: backfill.from,
        toDate: backfill.to,
        restarts: backfill.restarts,
      },
      { restarts: backfill.restarts + 1 },
    );
    return (result.affected ?? 0) === 1;
  }
}
