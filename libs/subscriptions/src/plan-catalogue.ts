import { Injectable } from '@nestjs/common';
import type { Limits } from './domain/plan-limits';
import type { PlanEntity } from './plan.entity';
import { PlanRepository } from './plan.repository';

/**
 * The plan catalogue, read once per process: plans are reference data that
 * only a migration changes, and the limit gate reads a plan on every limited
 * create (order placement included).
 */
@Injectable()
export class PlanCatalogue {
  private loading?: Promise<Map<string, PlanEntity>>;

  constructor(private readonly plans: PlanRepository) {}

  async all(): Promise<PlanEntity[]> {
    return [...(await this.load()).values()];
  }

  async get(code: string): Promise<PlanEntity> {
    const plan = (await this.load()).get(code);
    if (!plan) throw new Error(`Unknown plan "${code}"`);
    return plan;
  }

  private load(): Promise<Map<string, PlanEntity>> {
    this.loading ??= this.plans.listOrdered().then(
      (plans) => new Map(plans.map((plan) => [plan.code, plan])),
      (error: unknown) => {
        this.loading = undefined; // a failed read is retried by the next caller
        throw error;
      },
    );
    return this.loading;
  }
}

export function limitsOf(plan: PlanEntity): Limits {
  return {
    users: plan.maxUsers,
    menuItems: plan.maxMenuItems,
    apiKeys: plan.maxApiKeys,
    ordersPerMonth: plan.maxOrdersPerMonth,
  };
}
