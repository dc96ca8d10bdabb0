import { Column, Entity, ForeignKey, Index } from 'typeorm';
import { BaseEntity } from '@coffee/database';
import type { SubscriptionStatus } from './domain/subscription-status';

/**
 * A restaurant's subscription: its plan and where it stands in the lifecycle.
 * Exactly one per restaurant, created in the restaurant's own transaction.
 * Its row is also the lock that makes plan limits exact (see PlanLimitsGate).
 */
@Entity({ name: 'subscriptions' })
@Index('ix_subscriptions_status_period', ['status', 'currentPeriodEnd'])
export class SubscriptionEntity extends BaseEntity {
  @Index('uq_subscriptions_restaurant', { unique: true })
  @ForeignKey('RestaurantEntity', { onDelete: 'RESTRICT', onUpdate: 'RESTRICT' })
  @Column({ type: 'varchar', length: 36 })
  restaurantId!: string;

  @Index('ix_subscriptions_plan')
  @ForeignKey('PlanEntity', { onDelete: 'RESTRICT', onUpdate: 'RESTRICT' })
  @Column({ type: 'varchar', length: 32 })
  planCode!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: SubscriptionStatus;

  @Column({ type: 'datetime', precision: 6 })
  currentPeriodStart!: Date;

  /** While trialing: the end of the trial. */
  @Column({ type: 'datetime', precision: 6 })
  currentPeriodEnd!: Date;

  @Column({ type: 'boolean', default: false })
  cancelAtPeriodEnd!: boolean;

  /** When the subscription last became past due; writes stop 7 days later. */
  @Column({ type: 'datetime', precision: 6, nullable: true })
  pastDueSince!: Date | null;
}
