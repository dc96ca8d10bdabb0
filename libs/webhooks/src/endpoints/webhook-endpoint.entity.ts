import { Column, Entity, Index } from 'typeorm';
import { TenantOwnedEntity } from '@coffee/database';
import type { IntegrationEventType } from '@coffee/tenancy';

/**
 * A restaurant's webhook endpoint. The signing secret is stored as issued
 * (the server must sign with it, so it cannot be hashed); it leaves the
 * server once, in the create answer, and never reaches logs or the audit log.
 */
@Entity({ name: 'webhook_endpoints' })
@Index('ix_webhook_endpoints_restaurant', ['restaurantId', 'createdAt'])
export class WebhookEndpointEntity extends TenantOwnedEntity {
  @Column({ type: 'varchar', length: 2048 })
  url!: string;

  @Column({ type: 'varchar', length: 255 })
  description!: string;

  /** Space-separated event types. */
  @Column({ type: 'varchar', length: 255 })
  events!: string;

  /** `whsec_` + base64 of 32 random bytes (the Standard Webhooks format). */
  @Column({ type: 'varchar', length: 64 })
  secret!: string;

  @Column({ type: 'boolean', default: true })
  isEnabled!: boolean;

  /** Why the server disabled it (consecutive failures); null when enabled or disabled by a user. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  disabledReason!: string | null;

  /** Deliveries in a row that failed for good; a success resets it. */
  @Column({ type: 'int', default: 0 })
  consecutiveFailures!: number;

  eventList(): IntegrationEventType[] {
    return this.events.split(' ').filter((event) => event.length > 0) as IntegrationEventType[];
  }
}
