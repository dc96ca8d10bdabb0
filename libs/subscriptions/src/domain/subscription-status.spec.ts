import {
  canTransition,
  statusAfterPlanChange,
  SUBSCRIPTION_STATUSES,
  trialEndsAt,
  writesAllowed,
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

describe('writes allowed', () => {
  const now = new Date('2026-03-10T12:00:00Z');
  const daysBefore = (days: number, extraMs = 0): Date => new Date(now.getTime() - days * 86_400_000 - extraMs);

  it('allows trialing and active', () => {
    expect(writesAllowed('trialing', null, now)).toBe(true);
    expect(writesAllowed('active', null, now)).toBe(true);
  });

  it('refuses canceled', () => {
    expect(writesAllowed('canceled', null, now)).toBe(false);
    expect(writesAllowed('canceled', daysBefore(1), now)).toBe(false);
  });

  it('allows past_due up to exactly 7 days, refuses after', () => {
    expect(writesAllowed('past_due', now, now)).toBe(true);
    expect(writesAllowed('past_due', daysBefore(3), now)).toBe(true);
    expect(writesAllowed('past_due', daysBefore(7), now)).toBe(true);
    expect(writesAllowed('past_due', daysBefore(7, 1), now)).toBe(false);
    expect(writesAllowed('past_due', daysBefore(30), now)).toBe(false);
  });

  it('refuses past_due without a since date (fails closed)', () => {
    expect(writesAllowed('past_due', null, now)).toBe(false);
  });
});
