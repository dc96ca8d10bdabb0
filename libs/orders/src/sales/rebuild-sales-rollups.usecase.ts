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
 * orders and inserts their sums. Deleting first matters on MySQL/MariaDB under
 * REPEATABLE READ: the DELETE's next-key locks make a payment landing on that
 * day wait for this commit (its order is then not in our read, and it adds on
 * top of our rows); a payment that committed before is in our read and its
 * old contribution was just deleted. Either way nothing counts twice. The
 * day's month is then recomputed from its daily rows in the same transaction.
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
          }),
        { onRetry: (code, attempt) => this.logger.warn({ code, attempt, day }, 'Retrying a rollup rebuild day') },
      );
      days += 1;
    }
    await this.versions.bump(restaurantId);
    return { days, orders };
  }
}
