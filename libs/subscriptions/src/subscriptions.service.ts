import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditTrail } from '@coffee/audit';
import { AppError, Clock } from '@coffee/common';
import { TransactionRunner, withManager, type TenantScope, type TransactionScope } from '@coffee/database';
import {
  IntegrationEvents,
  LIMITED_RESOURCES,
  RestaurantRepository,
  UsageCounters,
  type LimitedResource,
} from '@coffee/tenancy';
import { describeLimit, exceededLimits, LIMIT_FIELDS, type Usage } from './domain/plan-limits';
import { subscriptionChange } from './domain/subscription-events';
import { periodEndFrom, statusAfterPlanChange, trialEndsAt } from './domain/subscription-status';
import { PlanListResponse, PlanResponse } from './plan.dto';
import { limitsOf, PlanCatalogue } from './plan-catalogue';
import type { SubscriptionResponse } from './subscription.dto';
import type { SubscriptionEntity } from './subscription.entity';
import { SubscriptionRepository } from './subscription.repository';

/** Plans, a restaurant's subscription, its usage and plan changes. */
@Injectable()
export class SubscriptionsService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly subscriptions: SubscriptionRepository,
    private readonly catalogue: PlanCatalogue,
    private readonly restaurants: RestaurantRepository,
    private readonly usage: UsageCounters,
    private readonly audit: AuditTrail,
    private readonly integrationEvents: IntegrationEvents,
    private readonly clock: Clock,
  ) {}

  async listPlans(): Promise<PlanListResponse> {
    return { items: (await this.catalogue.all()).map((plan) => PlanResponse.from(plan)) };
  }

  /** A new restaurant's trial, in the transaction that creates the restaurant. */
  async startTrial(manager: EntityManager, restaurantId: string, planCode: string): Promise<SubscriptionEntity> {
    await this.catalogue.get(planCode);
    const now = this.clock.now();
    return this.subscriptions.insert(manager, {
      restaurantId,
      planCode,
      status: 'trialing',
      currentPeriodStart: now,
      currentPeriodEnd: trialEndsAt(now),
    });
  }

  async current(scope: TenantScope): Promise<SubscriptionResponse> {
    const subscription = await this.subscriptions.findFor(scope);
    if (!subscription) throw AppError.notFound('Subscription');
    return this.toResponse(subscription, await this.usageOf(scope));
  }

  /**
   * Moves the restaurant to another plan (owner or sysadmin) and makes the
   * subscription `active` with a fresh period. Refused with 409 when current
   * usage is over any of the new plan's limits; the usage is counted under the
   * subscription row's lock, so no create can slip in between.
   */
  changePlan(scope: TenantScope, planCode: string): Promise<SubscriptionResponse> {
    return this.transactions.run(async (manager) => {
      const tx = withManager(scope, manager);
      const held = await this.subscriptions.lockFor(tx);
      const before = await this.subscriptions.findFor(tx);
      if (!held || !before) throw AppError.notFound('Subscription');
      const plan = await this.catalogue.get(planCode);
      const usage = await this.usageOf(tx, await this.restaurants.timeZoneOf(scope.restaurantId, manager));
      const limits = limitsOf(plan);
      const exceeded = exceededLimits(limits, usage);
      if (exceeded.length > 0) throw this.overLimits(plan.code, exceeded, limits, usage);
      const now = this.clock.now();
      const status = statusAfterPlanChange(before.status);
      await this.subscriptions.changePlan(tx, { planCode, status, periodStart: now, periodEnd: periodEndFrom(now) });
      await this.audit.record(manager, {
        action: 'restaurant.plan_changed',
        restaurantId: scope.restaurantId,
        targetType: 'restaurant',
        targetId: scope.restaurantId,
        before: { planCode: before.planCode, status: before.status },
        after: { planCode, status },
      });
      const after = await this.subscriptions.findFor(tx);
      if (!after) throw AppError.notFound('Subscription');
      await this.integrationEvents.record(tx, {
        type: 'subscription.changed',
        data: subscriptionChange(after, { planCode: before.planCode, status: before.status }, 'plan_changed'),
      });
      return this.toResponse(after, usage);
    });
  }

  /** Every limited resource's current count, as the limits count them. */
  async usageOf(scope: TenantScope | TransactionScope, timeZone?: string): Promise<Usage> {
    const zone = timeZone ?? (await this.restaurants.timeZoneOf(scope.restaurantId, scope.manager));
    const at = { now: this.clock.now(), timeZone: zone };
    const counts = await Promise.all(LIMITED_RESOURCES.map((resource) => this.usage.count(resource, scope, at)));
    return Object.fromEntries(LIMITED_RESOURCES.map((resource, i) => [resource, counts[i]])) as Usage;
  }

  private overLimits(
    planCode: string,
    exceeded: LimitedResource[],
    limits: Record<LimitedResource, number | null>,
    usage: Usage,
  ): AppError {
    const reasons = exceeded.map(
      (resource) =>
        `${LIMIT_FIELDS[resource]} is ${describeLimit(resource, limits[resource] ?? 0)} and you have ${usage[resource]}`,
    );
    return AppError.conflict(`Cannot change to the ${planCode} plan: ${reasons.join('; ')}`);
  }

  private toResponse(subscription: SubscriptionEntity, usage: Usage): SubscriptionResponse {
    return {
      planCode: subscription.planCode,
      status: subscription.status,
      currentPeriodStart: subscription.currentPeriodStart.toISOString(),
      currentPeriodEnd: subscription.currentPeriodEnd.toISOString(),
      cancelAtPeriodEnd: subscription.cancelAtPeriodEnd,
      usage: {
        users: usage.users,
        menuItems: usage.menuItems,
        ordersThisMonth: usage.ordersPerMonth,
        apiKeys: usage.apiKeys,
      },
    };
  }
}
