import { Injectable } from '@nestjs/common';
import { Clock } from '@coffee/common';
import { HandlesJob, type JobHandler, type JobPayload } from '@coffee/queue';
import { AdvanceSubscriptionsUseCase, type LifecycleCounts } from './advance-subscriptions.usecase';

/**
 * The recurring `subscriptions.lifecycle` job. The time is the injected
 * clock's unless the payload pins it (`now`, ISO 8601): one-off runs and tests.
 */
@Injectable()
@HandlesJob('subscriptions.lifecycle')
export class SubscriptionLifecycleHandler implements JobHandler<'subscriptions.lifecycle'> {
  constructor(
    private readonly advance: AdvanceSubscriptionsUseCase,
    private readonly clock: Clock,
  ) {}

  async handle(payload: JobPayload<'subscriptions.lifecycle'>): Promise<LifecycleCounts> {
    const now = payload.now === undefined ? this.clock.now() : new Date(payload.now);
    if (Number.isNaN(now.getTime())) throw new Error(`subscriptions.lifecycle: "now" is not a date: ${payload.now}`);
    return this.advance.run(now);
  }
}
