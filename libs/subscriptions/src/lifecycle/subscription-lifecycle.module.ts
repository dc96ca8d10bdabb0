import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PlanEntity } from '../plan.entity';
import { SubscriptionEntity } from '../subscription.entity';
import { AdvanceSubscriptionsUseCase } from './advance-subscriptions.usecase';
import { SubscriptionLifecycleHandler } from './subscription-lifecycle.handler';
import { SubscriptionLifecycleRepository } from './subscription-lifecycle.repository';

/**
 * The subscription lifecycle job without the rest of the feature (no routes,
 * no audit trail): the worker imports this alone, the API gets it through
 * SubscriptionsModule and runs it in process in embedded mode.
 */
@Module({
  imports: [TypeOrmModule.forFeature([PlanEntity, SubscriptionEntity])],
  providers: [SubscriptionLifecycleRepository, AdvanceSubscriptionsUseCase, SubscriptionLifecycleHandler],
  exports: [AdvanceSubscriptionsUseCase],
})
export class SubscriptionLifecycleModule {}
