import { Injectable, Logger } from '@nestjs/common';
import { TransactionRunner, trustedTenantScope, withManager } from '@coffee/database';
import { IntegrationEvents } from '@coffee/tenancy';
import { lifecycleMoveFor, type LifecycleMove } from '../domain/lifecycle';
import { subscriptionChange } from '../domain/subscription-events';
import { SubscriptionLifecycleRepository, type DueSubscription } from './subscription-lifecycle.repository';

/** How many subscriptions moved in one run, by kind of move. */
export interface LifecycleCounts {
  pastDue: number;
  canceled: number;
  renewed: number;
}

const COUNTED: Record<LifecycleMove['kind'], keyof LifecycleCounts> = {
  pastDue: 'pastDue',
  cancel: 'canceled',
  renew: 'renewed',
};

const EVENT_REASON = { pastDue: 'past_due', cancel: 'canceled', renew: 'renewed' } as const;

/** Candidates read per query: bounded memory and short statements, however many restaurants are due. */
export const LIFECYCLE_BATCH_SIZE = 100;

/**
 * Moves every subscription whose time has come one step along its lifecycle:
 * periods (and trials) that ended go past due, or renew on a free plan; past
 * due beyond the grace period becomes canceled. The way back is a plan change
 * (SubscriptionsService.changePlan).
 *
 * Safe to run twice and from several workers at once: each move is a
 * conditional UPDATE of one row in its own short transaction, and only the run
 * whose UPDATE affected the row counts, logs the move and writes its
 * `subscription.changed` event (outbox, in the move's transaction). Moves are not in the
 * audit log, whose actions are people's actions; each one is logged instead.
 */
@Injectable()
export class AdvanceSubscriptionsUseCase {
  private readonly logger = new Logger(AdvanceSubscriptionsUseCase.name);

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly subscriptions: SubscriptionLifecycleRepository,
    private readonly integrationEvents: IntegrationEvents,
  ) {}

  async run(now: Date, batchSize = LIFECYCLE_BATCH_SIZE): Promise<LifecycleCounts> {
    const counts: LifecycleCounts = { pastDue: 0, canceled: 0, renewed: 0 };
    const prices = await this.subscriptions.planPrices();
    const advancePage = async (page: DueSubscription[]): Promise<void> => {
      for (const subscription of page) {
        const moved = await this.advance(subscription, prices, now);
        if (moved) counts[COUNTED[moved.kind]] += 1;
      }
    };

    for (const status of ['trialing', 'active'] as const) {
      let page = await this.subscriptions.periodEnded(status, now, null, batchSize);
      await advancePage(page);
      while (page.length === batchSize) {
        page = await this.subscriptions.periodEnded(status, now, page[page.length - 1], batchSize);
        await advancePage(page);
      }
    }

    let page = await this.subscriptions.graceEnded(now, null, batchSize);
    await advancePage(page);
    while (page.length === batchSize) {
      page = await this.subscriptions.graceEnded(now, page[page.length - 1].id, batchSize);
      await advancePage(page);
    }

    return counts;
  }

  /** Decides and applies one subscription's move; returns it when this run made it. */
  private async advance(
    subscription: DueSubscription,
    prices: Map<string, number>,
    now: Date,
  ): Promise<LifecycleMove | null> {
    const price = prices.get(subscription.planCode);
    // The foreign key to plans makes this impossible; fail loudly rather than guess a price.
    if (price === undefined)
      throw new Error(`Subscription ${subscription.id} is on unknown plan ${subscription.planCode}`);
    const move = lifecycleMoveFor(subscription, price, now);
    if (!move) return null;
    const moved = await this.transactions.run(async (manager) => {
      if (!(await this.subscriptions.apply(manager, subscription.id, move, now))) return false;
      // A job over every restaurant's subscriptions: the row names its restaurant.
      const tx = withManager(trustedTenantScope(subscription.restaurantId), manager);
      await this.integrationEvents.record(tx, {
        type: 'subscription.changed',
        data: subscriptionChange(
          {
            planCode: subscription.planCode,
            status: move.to,
            currentPeriodEnd: move.kind === 'renew' ? move.periodEnd : subscription.currentPeriodEnd,
          },
          { planCode: subscription.planCode, status: move.from },
          EVENT_REASON[move.kind],
        ),
      });
      return true;
    });
    if (!moved) return null;
    this.logger.log(
      {
        restaurantId: subscription.restaurantId,
        subscriptionId: subscription.id,
        planCode: subscription.planCode,
        from: move.from,
        to: move.to,
        ...(move.kind === 'renew' ? { periodEnd: move.periodEnd.toISOString() } : {}),
      },
      move.kind === 'renew' ? 'Subscription renewed (free plan)' : `Subscription ${move.from} → ${move.to}`,
    );
    return move;
  }
}
