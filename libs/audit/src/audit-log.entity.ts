import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** What the audit log records; the contract's list, plus nothing a client can invent. */
export const AUDIT_ACTIONS = [
  'restaurant.created',
  'restaurant.updated',
  'restaurant.suspended',
  'restaurant.reactivated',
  'restaurant.plan_changed',
  'user.created',
  'user.role_changed',
  'user.deactivated',
  'api_key.created',
  'api_key.revoked',
  'order.cancelled',
  'auth.login_failed',
  'auth.account_locked',
  'webhook.created',
  'webhook.updated',
  'webhook.deleted',
  'webhook.disabled',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * One audited change. Append-only: the repository has an insert and reads,
 * no update or delete, and nothing else writes this table. No foreign keys:
 * sysadmin actions have no restaurant, and a row must outlive what it describes.
 */
@Entity({ name: 'audit_log' })
@Index('ix_audit_log_at', ['at', 'id'])
@Index('ix_audit_log_restaurant_at', ['restaurantId', 'at'])
@Index('ix_audit_log_actor_at', ['actorId', 'at'])
@Index('ix_audit_log_action_at', ['action', 'at'])
export class AuditLogEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'datetime', precision: 6 })
  at!: Date;

  /** The user who acted; null for an API key (then `actorRole` is `integration`) or an unknown caller. */
  @Column({ type: 'varchar', length: 36, nullable: true })
  actorId!: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  actorRole!: string | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  restaurantId!: string | null;

  @Column({ type: 'varchar', length: 48 })
  action!: AuditAction;

  @Column({ type: 'varchar', length: 32 })
  targetType!: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  targetId!: string | null;

  /** JSON; never a secret or a hash (see AuditTrail). */
  @Column({ type: 'text', nullable: true })
  before!: string | null;

  @Column({ type: 'text', nullable: true })
  after!: string | null;

  @Column({ type: 'varchar', length: 128, nullable: true })
  requestId!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;
}
