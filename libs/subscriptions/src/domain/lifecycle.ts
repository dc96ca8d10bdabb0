import { PAST_DUE_GRACE_DAYS } from '@coffee/tenancy';
import { canTransition, periodEndFrom, type SubscriptionStatus } from './subscription-status';

const DAY_MS = 24 * 60 * 60 * 1000;

/** What the lifecycle job needs to know about one subscription. */
export interface LifecycleSubject {
  status: SubscriptionStatus;
  currentPeriodEnd: Date;
  pastDueSince: Date | null;
}

/**
 * One step of the lifecycle, decided for a subscription at a given time:
 * - `pastDue`: the period (or the trial) of a paid plan ended; writes go on for the grace period.
 * - `renew`: the period of a free plan ended; nothing to collect, so the next period starts.
 * - `cancel`: past due for longer than the grace period.
 */
export type LifecycleMove =
  | { kind: 'pastDue'; from: 'trialing' | 'active'; to: 'past_due'; pastDueSince: Date }
  | { kind: 'renew'; from: 'trialing' | 'active'; to: 'active'; periodStart: Date; periodEnd: Date }
  | { kind: 'cancel'; from: 'past_due'; to: 'canceled' };

/** Past due since before this instant: the grace period is over (the write gate's rule, `writesAllowed`). */
export function graceEndedBefore(now: Date): Date {
  return new Date(now.getTime() - PAST_DUE_GRACE_DAYS * DAY_MS);
}

/**
 * The next period of a renewed subscription: it starts where the ended one
 * ended (so the billing day stays put) and, if the job has not run for a
 * while, skips whole periods until the one that contains `now`.
 */
export function renewedPeriod(endedAt: Date, now: Date): { periodStart: Date; periodEnd: Date } {
  let periodStart = endedAt;
  let periodEnd = periodEndFrom(periodStart);
  while (periodEnd.getTime() <= now.getTime()) {
    periodStart = periodEnd;
    periodEnd = periodEndFrom(periodStart);
  }
  return { periodStart, periodEnd };
}

/**
 * The lifecycle move due for `subscription` at `now`, or null when none is.
 * `priceMonthly` is its plan's price: a free plan (0) renews at the end of
 * its period instead of going past due. Pure, so the rules are unit-tested
 * without a database; the job applies the move with a conditional UPDATE.
 */
export function lifecycleMoveFor(
  subscription: LifecycleSubject,
  priceMonthly: number,
  now: Date,
): LifecycleMove | null {
  const { status } = subscription;
  switch (status) {
    case 'trialing':
    case 'active': {
      if (subscription.currentPeriodEnd.getTime() > now.getTime()) return null;
      if (priceMonthly === 0) {
        return allowed({
          kind: 'renew',
          from: status,
          to: 'active',
          ...renewedPeriod(subscription.currentPeriodEnd, now),
        });
      }
      return allowed({ kind: 'pastDue', from: status, to: 'past_due', pastDueSince: now });
    }
    case 'past_due': {
      // No date means no grace left, as the write gate reads it.
      const since = subscription.pastDueSince;
      if (since && since.getTime() >= graceEndedBefore(now).getTime()) return null;
      return allowed({ kind: 'cancel', from: status, to: 'canceled' });
    }
    case 'canceled':
      return null;
  }
}

/** Every move goes through the transition table; a renewal keeps `active` (or ends a free trial). */
function allowed<M extends LifecycleMove>(move: M): M {
  if (move.from !== move.to && !canTransition(move.from, move.to)) {
    throw new Error(`Subscription lifecycle: ${move.from} → ${move.to} is not in the transition table`);
  }
  return move;
}
