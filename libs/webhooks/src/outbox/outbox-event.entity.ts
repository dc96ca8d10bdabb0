import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { IntegrationEventType } from '@coffee/tenancy';

/**
 * The transactional outbox: one row per event, written in the transaction of
 * the change it describes (see OutboxWriter). Its id is the event id receivers
 * see (`webhook-id`). The relay stamps `relayed_at` once the event's
 * deliveries exist; relayed rows are purged after a week.
 */
@Entity({ name: 'webhook_outbox' })
@Index('ix_webhook_outbox_relayed', ['relayedAt', 'id'])
export class OutboxEventEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** No foreign key: an event is a record of the past, like the audit log. */
  @Column({ type: 'varchar', length: 36 })
  restaurantId!: string;

  @Column({ type: 'varchar', length: 64 })
  type!: IntegrationEventType;

  /** The event's `data` as JSON. */
  @Column({ type: 'text' })
  payload!: string;

  @Column({ type: 'datetime', precision: 6 })
  occurredAt!: Date;

  @Column({ type: 'datetime', precision: 6, nullable: true })
  relayedAt!: Date | null;
}
