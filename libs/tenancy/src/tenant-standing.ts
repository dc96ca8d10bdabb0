import type { RestaurantStatus } from './restaurant.entity';

export const SUBSCRIPTION_STATUSES = ['trialing', 'active', 'past_due', 'canceled'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/** How long a past-due restaurant may still write before it becomes read-only. */
export const PAST_DUE_GRACE_DAYS = 7;

const DAY_MS = 24 * 60 * 60 * 1000;

/** A restaurant's subscription as the access check needs it. */
export interface SubscriptionStanding {
  status: SubscriptionStatus;
  pastDueSince: Date | null;
}

/** Whether a restaurant may use the API, read with the caller's credentials on every request. */
export interface TenantStanding {
  restaurantStatus: RestaurantStatus | null;
  /** Null only if the restaurant has no subscription row (never, once migrated). */
  subscription: SubscriptionStanding | null;
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
