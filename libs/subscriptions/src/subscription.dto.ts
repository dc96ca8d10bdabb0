import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { PLAN_CODES, type PlanCode } from './domain/plan-codes';
import { SUBSCRIPTION_STATUSES, type SubscriptionStatus } from './domain/subscription-status';

export class ChangePlanDto {
  @ApiProperty({ enum: PLAN_CODES })
  @IsIn(PLAN_CODES, { message: `planCode must be one of ${PLAN_CODES.join(', ')}` })
  planCode!: PlanCode;
}

export class UsageResponse {
  @ApiProperty({ type: 'integer', description: 'Active users, the owner included' }) users!: number;
  @ApiProperty({ type: 'integer', description: 'Live (not deleted) menu items' }) menuItems!: number;
  @ApiProperty({ type: 'integer', description: "Orders placed this calendar month, in the restaurant's time zone" })
  ordersThisMonth!: number;
  @ApiProperty({ type: 'integer', description: 'API keys not revoked' }) apiKeys!: number;
}

export class SubscriptionResponse {
  @ApiProperty({ enum: PLAN_CODES }) planCode!: string;
  @ApiProperty({ enum: SUBSCRIPTION_STATUSES }) status!: SubscriptionStatus;
  @ApiProperty({ format: 'date-time' }) currentPeriodStart!: string;
  @ApiProperty({ format: 'date-time', description: 'While trialing: the end of the trial' }) currentPeriodEnd!: string;
  @ApiProperty() cancelAtPeriodEnd!: boolean;
  @ApiProperty({ type: UsageResponse }) usage!: UsageResponse;
}
