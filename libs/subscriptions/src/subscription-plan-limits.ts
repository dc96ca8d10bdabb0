import { Injectable } from '@nestjs/common';
import { AppError, Clock } from '@coffee/common';
import type { TransactionScope } from '@coffee/database';
import { PlanLimits, RestaurantRepository, UsageCounters, type LimitedResource } from '@coffee/tenancy';
import { describeLimit, hasRoom, LIMIT_FIELDS } from './domain/plan-limits';
import { limitsOf, PlanCatalogue } from './plan-catalogue';
import type { PlanEntity } from './plan.entity';
import { SubscriptionRepository } from './subscription.repository';

export function planLimitReached(plan: PlanEntity, resource: LimitedResource, limit: number): AppError {
  return new AppError(
    'PLAN_LIMIT_REACHED',
    `The ${plan.name} plan (${plan.code}) allows ${describeLimit(resource, limit)} (${LIMIT_FIELDS[resource]}: ${limit}); change plan to add more`,
  );
}

/**
 * Plan limits, exact under concurrency. Which mechanism and why: the gate
 * locks the restaurant's subscription row (SELECT … FOR UPDATE) and then
 * counts the live rows, rather than keeping a counter row updated with
 * `UPDATE … SET used = used + 1 WHERE used < limit`. A counter would have to
 * be decremented by every delete, deactivation and revocation, and would
 * drift from the truth the moment one path forgets; counting what is there
 * cannot drift, and the counts are small (bounded by the limit) and indexed.
 * The lock serializes only one restaurant's limited creates and plan changes,
 * and order placement already serializes per restaurant on its daily number.
 * Orders per month are not counted row by row: the month's daily number
 * counters sum to it exactly (at most 31 rows).
 */
@Injectable()
export class SubscriptionPlanLimits extends PlanLimits {
  constructor(
    private readonly subscriptions: SubscriptionRepository,
    private readonly catalogue: PlanCatalogue,
    private readonly usage: UsageCounters,
    private readonly restaurants: RestaurantRepository,
    private readonly clock: Clock,
  ) {
    super();
  }

  async assertRoomFor(tx: TransactionScope, resource: LimitedResource): Promise<void> {
    const held = await this.subscriptions.lockFor(tx);
    if (!held) throw new Error(`Restaurant ${tx.restaurantId} has no subscription`);
    const plan = await this.catalogue.get(held.planCode);
    const limit = limitsOf(plan)[resource];
    if (limit === null) return;
    const timeZone = await this.restaurants.timeZoneOf(tx.restaurantId, tx.manager);
    const used = await this.usage.count(resource, tx, { now: this.clock.now(), timeZone });
    if (!hasRoom(limit, used)) throw planLimitReached(plan, resource, limit);
  }
}
