export const SUBSCRIPTION_STATUSES = ['trialing', 'active', 'past_due', 'canceled'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/** New restaurants start trialing for this long. */
export const TRIAL_DAYS = 14;

/** How long a past-due restaurant may still write before it becomes read-only. */
export const PAST_DUE_GRACE_DAYS = 7;

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

/**
 * Whether a restaurant may write (create orders, edit the menu...). Canceled:
 * never. Past due: during the grace period only, counted from `pastDueSince`
 * (a past-due subscription without that date is treated as past the grace).
 * `now` comes from the caller's clock so that this stays a pure function.
 */
export function writesAllowed(status: SubscriptionStatus, pastDueSince: Date | null, now: Date): boolean {
  if (status === 'canceled') return false;
  if (status !== 'past_due') return true;
  if (!pastDueSince) return false;
  return now.getTime() - pastDueSince.getTime() <= PAST_DUE_GRACE_DAYS * DAY_MS;
}
