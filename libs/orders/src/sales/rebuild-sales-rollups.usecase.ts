import { Injectable, Logger } from '@nestjs/common';
import { retryLockConflicts, TransactionRunner, trustedTenantScope, withManager } from '@coffee/database';
import { RestaurantRepository } from '@coffee/tenancy';
import type { OrderLineEntity } from '../order.entities';
import { OrderRepository } from '../order.repository';
import { addDays, instantsAround, mergeRollups, monthOf, rollupOfPayment } from './sales-rollup';
import { SalesRollupRepository } from './sales-rollup.repository';
import { SalesVersions } from './sales-versions';

/** How many orders' lines one query loads. */
const LINES_BATCH = 500;

export interface RebuildResult {
  days: number;
  orders: number;
}

/**
 * Recomputes the sales rollups of a range of business dates from the raw paid
 * orders, with the same arithmetic as the payments that maintain them live.
 *
 * One transaction per day, so a year's rebuild never holds one huge
 * transaction: each deletes the day's rows first, then reads the day's paid
 * orders and inserts their sums. It is safe on a day that payments are still
 * landing on (today, during an upgrade's backfill), on MySQL/MariaDB because:
 * - the DELETE's next-key locks cover every key of the day, rows that do not
 *   exist yet included, so a payment upserting after it waits for this commit;
 *   our read, the transaction's first consistent read, comes after the DELETE,
 *   so that payment is not in it and adds on top of our rows once we commit;
 * - a payment that committed before the DELETE is in our read, and the live
 *   contribution it made was just deleted;
 * - a payment that upserted but had not committed makes the DELETE wait for
 *   its commit, which puts it in the case above.
 * Either way each payment counts once. That takes REPEATABLE READ, pinned here
 * whatever the server's default: under READ COMMITTED the DELETE takes no gap
 * locks and every read sees fresh commits, so a payment creating a new hour's
 * row between our DELETE and our read would be counted by both (the full-mode
 * e2e test "holds a payment landing on a day being rebuilt" fails so). The
 * embedded SQLite runs one transaction at a time: no payment falls in between.
 * The day's month is then recomputed from its daily rows in the same
 * transaction (SalesRollupRepository.recomputeMonth).
 */
@Injectable()
export class RebuildSalesRollupsUseCase {
  private readonly logger = new Logger(RebuildSalesRollupsUseCase.name);

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly orders: OrderRepository,
    private readonly rollups: SalesRollupRepository,
    private readonly restaurants: RestaurantRepository,
    private readonly versions: SalesVersions,
  ) {}

  async run(restaurantId: string, from: string, to: string): Promise<RebuildResult> {
    const restaurant = await this.restaurants.findById(restaurantId);
    if (!restaurant) throw new Error(`No restaurant ${restaurantId}`);
    const scope = trustedTenantScope(restaurantId);
    let days = 0;
    let orders = 0;
    for (let day = from; day <= to; day = addDays(day, 1)) {
      orders += await retryLockConflicts(
        () =>
          this.transactions.run(async (manager) => {
            const tx = withManager(scope, manager);
            await this.rollups.deleteRange(tx, day, day);
            const { start, end } = instantsAround(day, day);
            const paid = await this.orders.paidBetween(tx, start, end);
            const lines = new Map<string, OrderLineEntity[]>();
            for (let i = 0; i < paid.length; i += LINES_BATCH) {
              const batch = await this.orders.linesOf(
                tx,
                paid.slice(i, i + LINES_BATCH).map((order) => order.id),
              );
              for (const [id, orderLines] of batch) lines.set(id, orderLines);
            }
            const rollups = paid
              .filter((order) => order.paidAt !== null)
              .map((order) =>
                rollupOfPayment({ ...order, paidAt: order.paidAt! }, lines.get(order.id) ?? [], restaurant.timezone),
              )
              .filter((rollup) => rollup.hourly[0]?.businessDate === day);
            await this.rollups.addDaily(tx, mergeRollups(rollups));
            await this.rollups.recomputeMonth(tx, monthOf(day));
            return rollups.length;
          }, 'REPEATABLE READ'),
        { onRetry: (code, attempt) => this.logger.warn({ code, attempt, day }, 'Retrying a rollup rebuild day') },
      );
      days += 1;
    }
    await this.versions.bump(restaurantId);
    return { days, orders };
  }
}
