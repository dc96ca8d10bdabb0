import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PlanLimits } from '@coffee/tenancy';
import { SubscriptionLifecycleModule } from './lifecycle/subscription-lifecycle.module';
import { PlanCatalogue } from './plan-catalogue';
import { PlanEntity } from './plan.entity';
import { PlanRepository } from './plan.repository';
import { SubscriptionPlanLimits } from './subscription-plan-limits';
import { SubscriptionEntity } from './subscription.entity';
import { SubscriptionRepository } from './subscription.repository';
import { SubscriptionsController } from './subscriptions.controller';
import { SubscriptionsService } from './subscriptions.service';

/**
 * Global because it provides PlanLimits, which the features that create
 * limited resources (users, menu items, API keys, orders) inject without
 * depending on this library.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([PlanEntity, SubscriptionEntity]), SubscriptionLifecycleModule],
  controllers: [SubscriptionsController],
  providers: [
    PlanRepository,
    PlanCatalogue,
    SubscriptionRepository,
    SubscriptionsService,
    { provide: PlanLimits, useClass: SubscriptionPlanLimits },
  ],
  exports: [SubscriptionsService, SubscriptionRepository, PlanCatalogue, PlanLimits],
})
export class SubscriptionsModule {}
