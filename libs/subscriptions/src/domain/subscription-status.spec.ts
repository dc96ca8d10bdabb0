import {
  canTransition,
  statusAfterPlanChange,
  SUBSCRIPTION_STATUSES,
  trialEndsAt,
  periodEndFrom,
  type SubscriptionStatus,
} from './subscription-status';

describe('subscription status transitions', () => {
  it('allows exactly the table and nothing else', () => {
    const actual = SUBSCRIPTION_STATUSES.flatMap((from) =>
      SUBSCRIPTION_STATUSES.filter((to) => canTransition(from, to)).map((to) => `${from}>${to}`),
    );
    expect(actual.sort()).toEqual(
      [
        'trialing>active',
        'trialing>past_due',
        'active>past_due',
        'past_due>active',
        'past_due>canceled',
        'canceled>active',
      ].sort(),
    );
  });

  it('never goes back to trialing', () => {
    for (const from of SUBSCRIPTION_STATUSES) expect(canTransition(from, 'trialing')).toBe(false);
  });

  it.each(SUBSCRIPTION_STATUSES)('a plan change from %s leads to active', (from: SubscriptionStatus) => {
    const to = statusAfterPlanChange(from);
    expect(to).toBe('active');
    // Reachable through the table, or already there.
    expect(from === to || canTransition(from, to)).toBe(true);
  });

  it('ends the trial 14 days after it starts', () => {
    expect(trialEndsAt(new Date('2026-01-01T10:00:00Z')).toISOString()).toBe('2026-01-15T10:00:00.000Z');
  });
});

describe('billing periods', () => {
  it('last one calendar month, clamped to the shorter month', () => {
    expect(periodEndFrom(new Date('2026-01-15T10:00:00Z')).toISOString()).toBe('2026-02-15T10:00:00.000Z');
    expect(periodEndFrom(new Date('2026-01-31T10:00:00Z')).toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(periodEndFrom(new Date('2028-01-31T00:00:00Z')).toISOString()).toBe('2028-02-29T00:00:00.000Z');
    expect(periodEndFrom(new Date('2026-12-31T23:59:59Z')).toISOString()).toBe('2027-01-31T23:59:59.000Z');
  });
});
