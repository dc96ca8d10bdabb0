import { Injectable } from '@nestjs/common';
import { PlanListResponse, PlanResponse } from './plan.dto';
import { PlanRepository } from './plan.repository';

@Injectable()
export class SubscriptionsService {
  constructor(private readonly plans: PlanRepository) {}

  async listPlans(): Promise<PlanListResponse> {
    return { items: (await this.plans.listOrdered()).map((plan) => PlanResponse.from(plan)) };
  }
}
