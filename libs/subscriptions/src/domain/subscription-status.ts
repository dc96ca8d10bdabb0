import type { SubscriptionStatus } from '@coffee/tenancy';

export { SUBSCRIPTION_STATUSES, type SubscriptionStatus } from '@coffee/tenancy';

/** New restaurants start trialing for this long. */
export const TRIAL_DAYS = 14;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The subscription lifecycle as data: which status may follow which. A plan
 * change (owner or sysadmin) sets `active` from any status, so every status
 * lists `active` except `active` itself, which a plan change keeps.
 */
const TRANSITIONS: Record<SubscriptionStatus, readonly SubscriptionStatus[]> = {
  trialing: ['active', 'past_due'],
  active: ['past_due'],
  past_due: ['active', 'canceled'],
  canceled: ['active'],
};

export function canTransition(from: SubscriptionStatus, to: SubscriptionStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** The status after a plan change: always `active`, whatever it was (reactivates a canceled one). */
export function statusAfterPlanChange(_from: SubscriptionStatus): SubscriptionStatus {
  return 'active';
}

export function trialEndsAt(startedAt: Date): Date {
  return new Date(startedAt.getTime() + TRIAL_DAYS * DAY_MS);
}

/** A billing period: one calendar month in UTC from its start (Jan 31 + 1 month = the last day of February). */
export function periodEndFrom(start: Date): Date {
  const end = new Date(start.getTime());
  const day = end.getUTCDate();
  end.setUTCDate(1);
  end.setUTCMonth(end.getUTCMonth() + 1);
  const lastDay = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() + 1, 0)).getUTCDate();
  end.setUTCDate(Math.min(day, lastDay));
  return end;
}
