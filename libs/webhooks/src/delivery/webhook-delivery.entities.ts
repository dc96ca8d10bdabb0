import { Column, Entity, Index } from 'typeorm';
import { TenantOwnedEntity } from '@coffee/database';

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * One event for one endpoint. The unique (endpoint, event) pair makes the
 * relay idempotent: relaying an event twice creates its deliveries once.
 * `nextAttemptAt` is when the next attempt is due (null once settled), so a
 * relay run can re-enqueue an attempt whose job was lost.
 */
@Entity({ name: 'webhook_deliveries' })
@Index('uq_webhook_deliveries_endpoint_event', ['endpointId', 'eventId'], { unique: true })
@Index('ix_webhook_deliveries_due', ['status', 'nextAttemptAt'])
export class WebhookDeliveryEntity extends TenantOwnedEntity {
  @Column({ type: 'varchar', length: 36 })
  endpointId!: string;

  @Column({ type: 'varchar', length: 36 })
  eventId!: string;

  @Column({ type: 'varchar', length: 64 })
  eventType!: string;

  /** The exact body sent, so every attempt (and a redelivery) signs and sends the same bytes. */
  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: DeliveryStatus;

  /** Attempts made so far. */
  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ type: 'datetime', precision: 6, nullable: true })
  nextAttemptAt!: Date | null;
}

/** The delivery log: one row per attempt, what the receiver answered (body cut to 1 KiB) or why it failed. */
@Entity({ name: 'webhook_delivery_attempts' })
@Index('ix_webhook_attempts_endpoint', ['restaurantId', 'endpointId', 'createdAt', 'id'])
@Index('ix_webhook_attempts_delivery', ['deliveryId', 'attempt'])
export class WebhookDeliveryAttemptEntity extends TenantOwnedEntity {
  @Column({ type: 'varchar', length: 36 })
  endpointId!: string;

  @Column({ type: 'varchar', length: 36 })
  deliveryId!: string;

  @Column({ type: 'varchar', length: 36 })
  eventId!: string;

  @Column({ type: 'varchar', length: 64 })
  eventType!: string;

  @Column({ type: 'int' })
  attempt!: number;

  @Column({ type: 'boolean' })
  succeeded!: boolean;

  /** The receiver's HTTP status; null when no answer came (refused address, timeout, connection error). */
  @Column({ type: 'int', nullable: true })
  statusCode!: number | null;

  @Column({ type: 'int' })
  durationMs!: number;

  @Column({ type: 'varchar', length: 500, nullable: true })
  error!: string | null;

  @Column({ type: 'text', nullable: true })
  responseBody!: string | null;
}
