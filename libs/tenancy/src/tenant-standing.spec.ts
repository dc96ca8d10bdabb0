import { writesAllowed } from './tenant-standing';

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
