import { Column, Entity, Index } from 'typeorm';
import { TenantOwnedEntity } from '@coffee/database';

export type IdempotencyKeyStatus = 'in_progress' | 'completed';

/**
 * One `Idempotency-Key` a client sent for a restaurant, with a hash of the
 * request body and, once done, the stored answer to replay.
 */
@Entity({ name: 'idempotency_keys' })
@Index('uq_idempotency_keys_restaurant_key', ['restaurantId', 'key'], { unique: true })
export class IdempotencyKeyEntity extends TenantOwnedEntity {
  @Column({ name: 'idem_key', type: 'varchar', length: 128 })
  key!: string;

  @Column({ type: 'varchar', length: 64 })
  requestHash!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: IdempotencyKeyStatus;

  @Column({ type: 'int', nullable: true })
  responseStatus!: number | null;

  @Column({ type: 'text', nullable: true })
  responseBody!: string | null;

  @Index('ix_idempotency_keys_expires_at')
  @Column({ type: 'datetime', precision: 6 })
  expiresAt!: Date;
}
