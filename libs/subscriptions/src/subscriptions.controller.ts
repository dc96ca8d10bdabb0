import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Public } from '@coffee/common';
import { PlanListResponse } from './plan.dto';
import { SubscriptionsService } from './subscriptions.service';

@ApiTags('subscriptions')
@Controller('subscriptions')
export class SubscriptionsController {
  constructor(private readonly subscriptions: SubscriptionsService) {}

  /** Public: the pricing page and sign-up read it before anyone has an account. */
  @Get('plans')
  @Public()
  @ApiOkResponse({ type: PlanListResponse, description: 'Every plan, cheapest first' })
  @ApiErrors()
  listPlans(): Promise<PlanListResponse> {
    return this.subscriptions.listPlans();
  }
}
