import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Public, Roles, WritableWhenInactive } from '@coffee/common';
import { RequestContext } from '@coffee/tenancy';
import { PlanListResponse } from './plan.dto';
import { ChangePlanDto, SubscriptionResponse } from './subscription.dto';
import { SubscriptionsService } from './subscriptions.service';

@ApiTags('subscriptions')
@Controller('subscriptions')
export class SubscriptionsController {
  constructor(
    private readonly subscriptions: SubscriptionsService,
    private readonly context: RequestContext,
  ) {}

  /** Public: the pricing page and sign-up read it before anyone has an account. */
  @Get('plans')
  @Public()
  @ApiOkResponse({ type: PlanListResponse, description: 'Every plan, cheapest first' })
  @ApiErrors()
  @ApiOperation({ operationId: 'listPlans', summary: 'The plans and their limits' })
  listPlans(): Promise<PlanListResponse> {
    return this.subscriptions.listPlans();
  }

  @Get('current')
  @Roles('owner', 'manager')
  @ApiOkResponse({ type: SubscriptionResponse, description: 'The plan, the lifecycle status and live usage' })
  @ApiErrors('UNAUTHENTICATED', 'FORBIDDEN', 'TENANT_SUSPENDED')
  @ApiOperation({ operationId: 'getCurrentSubscription', summary: "The restaurant's subscription and usage" })
  current(): Promise<SubscriptionResponse> {
    return this.subscriptions.current(this.context.scope());
  }

  /** Works while the subscription is inactive too: it is the way back to `active`. */
  @Post('change-plan')
  @HttpCode(200)
  @Roles('owner')
  @WritableWhenInactive()
  @ApiOkResponse({ type: SubscriptionResponse, description: 'The subscription on its new plan, `active`' })
  @ApiErrors('UNAUTHENTICATED', 'FORBIDDEN', 'TENANT_SUSPENDED', 'CSRF_FAILED', 'VALIDATION_FAILED', 'CONFLICT')
  @ApiOperation({ operationId: 'changePlan', summary: 'Move the restaurant to another plan' })
  changePlan(@Body() dto: ChangePlanDto): Promise<SubscriptionResponse> {
    return this.subscriptions.changePlan(this.context.scope(), dto.planCode);
  }
}
