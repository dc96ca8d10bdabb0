import type { TransactionScope } from '@coffee/database';

/** What integrators can subscribe to (webhooks). Add a type here, then record it where the change commits. */
export const INTEGRATION_EVENT_TYPES = [
  'order.created',
  'order.status_changed',
  'menu.item_availability_changed',
  'subscription.changed',
] as const;
export type IntegrationEventType = (typeof INTEGRATION_EVENT_TYPES)[number];

export interface IntegrationEvent {
  type: IntegrationEventType;
  /** The event's `data`: plain JSON, the resource as the API shows it (no secrets). */
  data: Record<string, unknown>;
}

/**
 * The transactional outbox as the features see it (the webhooks library
 * provides it): `record` writes one event row in the transaction of the change
 * it describes, so an event exists exactly when its change committed. Delivery
 * happens later, from committed rows only.
 */
export abstract class IntegrationEvents {
  abstract record(tx: TransactionScope, event: IntegrationEvent): Promise<void>;
}
