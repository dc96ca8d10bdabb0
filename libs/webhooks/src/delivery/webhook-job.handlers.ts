import { Injectable } from '@nestjs/common';
import { HandlesJob, type JobHandler, type JobPayload } from '@coffee/queue';
import { DeliverWebhookUseCase, type AttemptOutcome } from './deliver-webhook.usecase';
import { RelayOutboxUseCase, type RelayResult } from './relay-outbox.usecase';

/** `webhooks.relay`: recurring, and nudged after every commit that wrote an event. */
@Injectable()
@HandlesJob('webhooks.relay')
export class WebhookRelayHandler implements JobHandler<'webhooks.relay'> {
  constructor(private readonly relay: RelayOutboxUseCase) {}

  handle(): Promise<RelayResult> {
    return this.relay.execute();
  }
}

/** `webhooks.deliver`: one attempt of one delivery. */
@Injectable()
@HandlesJob('webhooks.deliver')
export class WebhookDeliverHandler implements JobHandler<'webhooks.deliver'> {
  constructor(private readonly deliver: DeliverWebhookUseCase) {}

  handle(payload: JobPayload<'webhooks.deliver'>): Promise<AttemptOutcome> {
    return this.deliver.execute(payload.restaurantId, payload.deliveryId, payload.attempt);
  }
}
