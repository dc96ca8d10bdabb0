import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { isMysql, repositoryIn, type TenantScope, type TransactionScope } from '@coffee/database';
import type { SubscriptionStatus } from './domain/subscription-status';
import { SubscriptionEntity } from './subscription.entity';

/** The subscription row held locked. */
export interface LockedSubscription {
  planCode: string;
}

export type NewSubscription = Pick<
  SubscriptionEntity,
  'restaurantId' | 'planCode' | 'status' | 'currentPeriodStart' | 'currentPeriodEnd'
>;

@Injectable()
export class SubscriptionRepository {
  constructor(@InjectRepository(SubscriptionEntity) private readonly subscriptions: Repository<SubscriptionEntity>) {}

  /** In the transaction that creates the restaurant (which is why it takes a manager, not a scope). */
  async insert(manager: EntityManager, data: NewSubscription): Promise<SubscriptionEntity> {
    const repo = manager.getRepository(SubscriptionEntity);
    return repo.save(repo.create({ ...data, cancelAtPeriodEnd: false, pastDueSince: null }));
  }

  findFor(scope: TenantScope): Promise<SubscriptionEntity | null> {
    return repositoryIn(scope, SubscriptionEntity, this.subscriptions).findOneBy({
      restaurantId: scope.restaurantId,
    });
  }

  /**
   * Locks the restaurant's subscription row until the transaction ends and
   * reads its plan (the restaurant's time zone, which counts by month need,
   * comes from RestaurantRepository.timeZoneOf). Every limited create and
   * every plan change takes this lock first, so a count made after it cannot
   * be overtaken: two creates at the last slot run one after the other, and a
   * downgrade's usage check cannot miss a create that is about to commit.
   * Only the subscription row is locked, never the restaurant row, because
   * every insert of a tenant-owned row holds a shared lock on it (the foreign
   * key check), and upgrading that to an exclusive lock in two transactions
   * at once is a deadlock. SQLite has a single writer
   * already (TransactionRunner serializes), so no lock clause there.
   */
  async lockFor(tx: TransactionScope): Promise<LockedSubscription | null> {
    const locked: { planCode: string }[] = await tx.manager.query(
      `SELECT plan_code AS planCode FROM subscriptions WHERE restaurant_id = ?${isMysql(tx.manager) ? ' FOR UPDATE' : ''}`,
      [tx.restaurantId],
    );
    return locked[0] ? { planCode: locked[0].planCode } : null;
  }

  /** A plan change: the new plan, `active`, and a fresh period from `now`. */
  async changePlan(
    tx: TransactionScope,
    change: { planCode: string; status: SubscriptionStatus; periodStart: Date; periodEnd: Date },
  ): Promise<void> {
    await tx.manager.getRepository(SubscriptionEntity).update(
      { restaurantId: tx.restaurantId },
      {
        planCode: change.planCode,
        status: change.status,
        currentPeriodStart: change.periodStart,
        currentPeriodEnd: change.periodEnd,
        cancelAtPeriodEnd: false,
        pastDueSince: null,
      },
    );
  }
}
