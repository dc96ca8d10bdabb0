import { Injectable } from '@nestjs/common';
import type { TenantScope, TransactionScope } from '@coffee/database';

export const LIMITED_RESOURCES = ['users', 'menuItems', 'apiKeys', 'ordersPerMonth'] as const;
export type LimitedResource = (typeof LIMITED_RESOURCES)[number];

/**
 * The gate every create of a plan-limited resource passes, inside the
 * creating transaction (the subscriptions library provides it). It throws 403
 * `PLAN_LIMIT_REACHED` when one more would exceed the restaurant's plan.
 * What exists now is counted by the resource's {@link UsageCounters} entry,
 * only when the plan has a limit, and only once the gate holds the lock that
 * keeps the count exact until commit.
 */
export abstract class PlanLimits {
  abstract assertRoomFor(tx: TransactionScope, resource: LimitedResource): Promise<void>;
}

/** When a count is made, for counts by calendar period (orders this month, in the restaurant's time zone). */
export interface UsageMoment {
  now: Date;
  timeZone: string;
}

/** Counts one resource of a restaurant as it is now (inside the scope's transaction when it has one). */
export type UsageCounter = (scope: TenantScope, at: UsageMoment) => Promise<number>;

/**
 * Who counts what: each feature library registers the count of the resource
 * it owns (menu items, users, API keys, orders this month) when its module
 * starts, so plan limits and `GET /subscriptions/current` read every usage
 * without the subscriptions library reaching into other features' tables.
 */
@Injectable()
export class UsageCounters {
  private readonly counters = new Map<LimitedResource, UsageCounter>();

  register(resource: LimitedResource, counter: UsageCounter): void {
    this.counters.set(resource, counter);
  }

  count(resource: LimitedResource, scope: TenantScope, at: UsageMoment): Promise<number> {
    const counter = this.counters.get(resource);
    if (!counter) throw new Error(`No usage counter for ${resource}: the module owning it is not loaded`);
    return counter(scope, at);
  }
}
