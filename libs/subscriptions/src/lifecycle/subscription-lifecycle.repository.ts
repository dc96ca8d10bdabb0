import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { graceEndedBefore, type LifecycleMove } from '../domain/lifecycle';
import { PlanEntity } from '../plan.entity';
import { SubscriptionEntity } from '../subscription.entity';

/** The columns the lifecycle job reads; an entity, so dates come back as dates on both drivers. */
export type DueSubscription = Pick<
  SubscriptionEntity,
  'id' | 'restaurantId' | 'planCode' | 'status' | 'currentPeriodEnd' | 'pastDueSince'
>;

const DUE_COLUMNS = ['s.id', 's.restaurantId', 's.planCode', 's.status', 's.currentPeriodEnd', 's.pastDueSince'];

/**
 * The lifecycle job's sweep over every restaurant's subscription. It spans
 * all tenants by design, so it lives apart from SubscriptionRepository, whose
 * every method is scoped to one restaurant. Reads select a page of candidates;
 * each move is then its own conditional UPDATE that repeats the condition the
 * candidate was selected on, so a row that another worker moved, or that a
 * plan change made current again, in between is left alone (0 rows affected).
 */
@Injectable()
export class SubscriptionLifecycleRepository {
  constructor(
    @InjectRepository(SubscriptionEntity) private readonly subscriptions: Repository<SubscriptionEntity>,
    @InjectRepository(PlanEntity) private readonly plans: Repository<PlanEntity>,
  ) {}

  /** Each plan's monthly price by code: a free plan renews instead of going past due. */
  async planPrices(): Promise<Map<string, number>> {
    const plans = await this.plans.find({ select: { code: true, priceMonthly: true } });
    return new Map(plans.map((plan) => [plan.code, plan.priceMonthly]));
  }

  /**
   * Subscriptions in `status` whose period ended at or before `now`, one page
   * in index order (status, current_period_end, id) after `after`: a range
   * read on ix_subscriptions_status_period, and keyset paging never revisits
   * a row, whatever became of the ones before.
   */
  periodEnded(
    status: 'trialing' | 'active',
    now: Date,
    after: Pick<DueSubscription, 'id' | 'currentPeriodEnd'> | null,
    limit: number,
  ): Promise<DueSubscription[]> {
    const query = this.subscriptions
      .createQueryBuilder('s')
      .select(DUE_COLUMNS)
      .where('s.status = :status', { status })
      .andWhere('s.currentPeriodEnd <= :now', { now });
    if (after) {
      query.andWhere('(s.currentPeriodEnd > :afterEnd OR (s.currentPeriodEnd = :afterEnd AND s.id > :afterId))', {
        afterEnd: after.currentPeriodEnd,
        afterId: after.id,
      });
    }
    return query.orderBy('s.currentPeriodEnd', 'ASC').addOrderBy('s.id', 'ASC').limit(limit).getMany();
  }

  /**
   * Past-due subscriptions whose grace period ended before `now`, one page
   * by id after `afterId`. Few rows are ever past due, so the status prefix
   * of the index narrows the read enough.
   */
  graceEnded(now: Date, afterId: string | null, limit: number): Promise<DueSubscription[]> {
    const query = this.subscriptions
      .createQueryBuilder('s')
      .select(DUE_COLUMNS)
      .where('s.status = :status', { status: 'past_due' })
      .andWhere('(s.pastDueSince IS NULL OR s.pastDueSince < :cutoff)', { cutoff: graceEndedBefore(now) });
    if (afterId) query.andWhere('s.id > :afterId', { afterId });
    return query.orderBy('s.id', 'ASC').limit(limit).getMany();
  }

  /**
   * Applies one move to one subscription if it still stands where the move
   * starts: `UPDATE … WHERE id = ? AND status = <from> AND <still due>`.
   * True when this call moved it, false when it was no longer due (another
   * run got there first, or the owner changed plan meanwhile).
   */
  async apply(manager: EntityManager, id: string, move: LifecycleMove, now: Date): Promise<boolean> {
    const update = manager
      .createQueryBuilder()
      .update(SubscriptionEntity)
      .where('id = :id', { id })
      .andWhere('status = :from', { from: move.from });
    switch (move.kind) {
      case 'pastDue':
        update.set({ status: move.to, pastDueSince: move.pastDueSince });
        update.andWhere('current_period_end <= :now', { now });
        break;
      case 'renew':
        update.set({
          status: move.to,
          currentPeriodStart: move.periodStart,
          currentPeriodEnd: move.periodEnd,
          pastDueSince: null,
        });
        // The new period ends after `now`, so a second renewal of the same period finds nothing due.
        update.andWhere('current_period_end <= :now', { now });
        break;
      case 'cancel':
        update.set({ status: move.to });
        update.andWhere('(past_due_since IS NULL OR past_due_since < :cutoff)', { cutoff: graceEndedBefore(now) });
        break;
    }
    const result = await update.execute();
    return result.affected === 1;
  }
}
