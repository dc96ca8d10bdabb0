import { ApiProperty } from '@nestjs/swagger';
import type { PlanEntity } from './plan.entity';

export class PlanLimitsResponse {
  @ApiProperty({ type: 'integer', nullable: true, description: 'null = unlimited' }) maxUsers!: number | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'null = unlimited' }) maxMenuItems!: number | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'null = unlimited' })
  maxOrdersPerMonth!: number | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'null = unlimited' }) maxApiKeys!: number | null;
}

export class PlanResponse {
  @ApiProperty({ example: 'pro' }) code!: string;
  @ApiProperty({ example: 'Pro' }) name!: string;
  @ApiProperty({ type: 'integer', example: 2900, description: 'Minor units (cents)' }) priceMonthly!: number;
  @ApiProperty({ example: 'USD', minLength: 3, maxLength: 3 }) currency!: string;
  @ApiProperty({ type: PlanLimitsResponse }) limits!: PlanLimitsResponse;
  @ApiProperty({ type: [String], example: ['reports', 'api_keys', 'webhooks'] }) features!: string[];

  static from(plan: PlanEntity): PlanResponse {
    return {
      code: plan.code,
      name: plan.name,
      priceMonthly: plan.priceMonthly,
      currency: plan.currency,
      limits: {
        maxUsers: plan.maxUsers,
        maxMenuItems: plan.maxMenuItems,
        maxOrdersPerMonth: plan.maxOrdersPerMonth,
        maxApiKeys: plan.maxApiKeys,
      },
      features: plan.features,
    };
  }
}

export class PlanListResponse {
  @ApiProperty({ type: [PlanResponse] }) items!: PlanResponse[];
}
