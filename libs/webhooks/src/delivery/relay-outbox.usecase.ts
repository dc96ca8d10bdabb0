import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '@coffee/common';
import { newId, TransactionRunner } from '@coffee/database';
import { JobQueue } from '@coffee/queue';
import { WebhookEndpointRepository } from '../endpoints/webhook-endpoint.repository';
import { OutboxRepository } from '../outbox/outbox.repository';
import { eventBody } from './event-body';
import { WebhookDeliveryRepository, type NewDelivery } from './webhook-delivery.repository';

const BATCH = 100;
/** Batches per run: a backlog drains over a few runs rather than holding one job for long. */
const MAX_BATCHES = 20;
/** A pending delivery this late has lost its job (a crash between commit and enqueue): enqueue it again. */
const LOST_AFTER_MS = 60_000;
const PURGE_AFTER_MS = 7 * 24 * 3600 * 1000;

export interface RelayResult {
  events: number;
  deliveries: number;
  requeued: number;
  purged: number;
}

/**
 * The relay: reads committed outbox events (oldest first), creates one
 * delivery per enabled endpoint of the event's restaurant subscribed to its
 * type, stamps the events relayed in the same transaction, and then enqueues
 * the first attempt of each new delivery. Safe to run twice or in parallel:
 * deliveries are unique per (endpoint, event), events are locked per batch.
 */
@Injectable()
export class RelayOutboxUseCase {
  private readonly logger = new Logger(RelayOutboxUseCase.name);

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly outbox: OutboxRepository,
    private readonly endpoints: WebhookEndpointRepository,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly queue: JobQueue,
    private readonly clock: Clock,
  ) {}

  async execute(): Promise<RelayResult> {
    const result: RelayResult = { events: 0, deliveries: 0, requeued: 0, purged: 0 };
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const { events, created } = await this.transactions.run(async (manager) => {
        const rows = await this.outbox.nextBatch(manager, BATCH);
        const endpoints = await this.endpoints.enabledOf(manager, [...new Set(rows.map((row) => row.restaurantId))]);
        const fresh: NewDelivery[] = [];
        const now = this.clock.now();
        for (const event of rows) {
          for (const endpoint of endpoints) {
            if (endpoint.restaurantId !== event.restaurantId || !endpoint.eventList().includes(event.type)) continue;
            fresh.push({
              id: newId(),
              restaurantId: event.restaurantId,
              endpointId: endpoint.id,
              eventId: event.id,
              eventType: event.type,
              body: eventBody(event),
              nextAttemptAt: now,
            });
          }
        }
        const createdIds = new Set(await this.deliveries.insertNew(manager, fresh));
        await this.outbox.markRelayed(
          manager,
          rows.map((row) => row.id),
          now,
        );
        return { events: rows.length, created: fresh.filter((row) => createdIds.has(row.id)) };
      });
      result.events += events;
      result.deliveries += created.length;
      for (const delivery of created) await this.enqueueAttempt(delivery.restaurantId, delivery.id, 1);
      if (events < BATCH) break;
    }
    result.requeued = await this.requeueLost();
    result.purged = await this.outbox.purgeRelayed(new Date(this.clock.now().getTime() - PURGE_AFTER_MS), 1000);
    if (result.events > 0 || result.requeued > 0) this.logger.log(result, 'Webhook events relayed');
    return result;
  }

  /** Enqueues attempt `attempt` of a delivery; the job id makes a second enqueue of the same attempt a no-op. */
  enqueueAttempt(restaurantId: string, deliveryId: string, attempt: number, delayMs = 0): Promise<{ id: string }> {
    return this.queue.enqueue(
      'webhooks.deliver',
      { restaurantId, deliveryId, attempt },
      { jobId: `webhook-${deliveryId}-${attempt}`, ...(delayMs > 0 ? { delayMs } : {}) },
    );
  }

  private async requeueLost(): Promise<number> {
    const overdue = await this.deliveries.overdue(new Date(this.clock.now().getTime() - LOST_AFTER_MS), BATCH);
    for (const delivery of overdue)
      await this.enqueueAttempt(delivery.restaurantId, delivery.id, delivery.attempts + 1);
    return overdue.length;
  }
}
