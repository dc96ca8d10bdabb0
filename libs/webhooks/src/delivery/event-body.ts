import type { OutboxEventEntity } from '../outbox/outbox-event.entity';

/**
 * The JSON body every attempt of an event's deliveries sends, byte for byte:
 * `{ id, type, timestamp, data }`, `id` being the event id (also in
 * `webhook-id`) and `timestamp` when the change happened.
 */
export function eventBody(event: Pick<OutboxEventEntity, 'id' | 'type' | 'occurredAt' | 'payload'>): string {
  const data = JSON.parse(event.payload) as unknown;
  return JSON.stringify({ id: event.id, type: event.type, timestamp: event.occurredAt.toISOString(), data });
}
