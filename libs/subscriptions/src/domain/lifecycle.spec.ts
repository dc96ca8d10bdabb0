import { PAST_DUE_GRACE_DAYS, writesAllowed } from '@coffee/tenancy';
import { graceEndedBefore, lifecycleMoveFor, renewedPeriod, type LifecycleSubject } from './lifecycle';
import { canTransition, SUBSCRIPTION_STATUSES } from './subscription-status';

const DAY = 24 * 3600 * 1000;
const NOW = new Date('2026-03-10T12:00:00.000Z');
const PRO = 2900;
const FREE = 0;

const at = (ms: number): Date => new Date(NOW.getTime() + ms);

function subject(overrides: Partial<LifecycleSubject>): LifecycleSubject {
  return { status: 'active', currentPeriodEnd: at(DAY), pastDueSince: null, ...overrides };
}

describe('lifecycleMoveFor: the end of a period', () => {
  it.each(['trialing', 'active'] as const)('a paid %s subscription whose period ended goes past due now', (status) => {
    expect(lifecycleMoveFor(subject({ status, currentPeriodEnd: at(-1) }), PRO, NOW)).toEqual({
      kind: 'pastDue',
      from: status,
      to: 'past_due',
      pastDueSince: NOW,
    });
  });

  it('counts a period ending exactly now as ended', () => {
    expect(lifecycleMoveFor(subject({ currentPeriodEnd: NOW }), PRO, NOW)?.kind).toBe('pastDue');
  });

  it.each(['trialing', 'active'] as const)('leaves a %s subscription alone while its period runs', (status) => {
    expect(lifecycleMoveFor(subject({ status, currentPeriodEnd: at(1) }), PRO, NOW)).toBeNull();
    expect(lifecycleMoveFor(subject({ status, currentPeriodEnd: at(1) }), FREE, NOW)).toBeNull();
  });

  it.each(['trialing', 'active'] as const)(
    'a free %s subscription renews instead: active, the next period from where the last ended',
    (status) => {
      const ended = new Date('2026-03-01T09:30:00.000Z');
      expect(lifecycleMoveFor(subject({ status, currentPeriodEnd: ended }), FREE, NOW)).toEqual({
        kind: 'renew',
        from: status,
        to: 'active',
        periodStart: ended,
        periodEnd: new Date('2026-04-01T09:30:00.000Z'),
      });
    },
  );
});

describe('lifecycleMoveFor: the grace period', () => {
  it(`cancels a subscription past due for more than ${PAST_DUE_GRACE_DAYS} days`, () => {
    const since = at(-PAST_DUE_GRACE_DAYS * DAY - 1);
    expect(lifecycleMoveFor(subject({ status: 'past_due', pastDueSince: since }), PRO, NOW)).toEqual({
      kind: 'cancel',
      from: 'past_due',
      to: 'canceled',
    });
  });

  it(`keeps it past due up to ${PAST_DUE_GRACE_DAYS} days, the boundary included`, () => {
    for (const since of [NOW, at(-DAY), at(-PAST_DUE_GRACE_DAYS * DAY)]) {
      expect(lifecycleMoveFor(subject({ status: 'past_due', pastDueSince: since }), PRO, NOW)).toBeNull();
    }
  });

  it('cancels exactly when the write gate stops allowing writes', () => {
    for (const offset of [-1, 0, 1]) {
      const since = at(-PAST_DUE_GRACE_DAYS * DAY + offset);
      const canceled = lifecycleMoveFor(subject({ status: 'past_due', pastDueSince: since }), PRO, NOW) !== null;
      expect(canceled).toBe(!writesAllowed('past_due', since, NOW));
    }
  });

  it('cancels a past-due subscription without a date (the write gate treats it as out of grace)', () => {
    expect(lifecycleMoveFor(subject({ status: 'past_due', pastDueSince: null }), PRO, NOW)?.kind).toBe('cancel');
  });

  it('cancels free-plan subscriptions that are past due too (say, after a downgrade)', () => {
    expect(lifecycleMoveFor(subject({ status: 'past_due', pastDueSince: at(-30 * DAY) }), FREE, NOW)?.kind).toBe(
      'cancel',
    );
  });

  it('never moves a canceled subscription', () => {
    const canceled = subject({ status: 'canceled', currentPeriodEnd: at(-90 * DAY), pastDueSince: at(-90 * DAY) });
    expect(lifecycleMoveFor(canceled, PRO, NOW)).toBeNull();
    expect(lifecycleMoveFor(canceled, FREE, NOW)).toBeNull();
  });
});

describe('lifecycleMoveFor: only moves the transition table allows', () => {
  it('every move it can make is a transition in the table, or a renewal that stays active', () => {
    const ends = [at(-40 * DAY), at(-1), NOW, at(1)];
    const sinces = [null, at(-8 * DAY), at(-7 * DAY), NOW];
    let moves = 0;
    for (const status of SUBSCRIPTION_STATUSES) {
      for (const currentPeriodEnd of ends) {
        for (const pastDueSince of sinces) {
          for (const price of [FREE, PRO]) {
            const move = lifecycleMoveFor({ status, currentPeriodEnd, pastDueSince }, price, NOW);
            if (!move) continue;
            moves += 1;
            expect(move.from).toBe(status);
            expect(move.from === move.to || canTransition(move.from, move.to)).toBe(true);
          }
        }
      }
    }
    expect(moves).toBeGreaterThan(0);
  });
});

describe('renewedPeriod', () => {
  it('is the month after the ended period', () => {
    const ended = new Date('2026-03-05T00:00:00.000Z');
    expect(renewedPeriod(ended, NOW)).toEqual({ periodStart: ended, periodEnd: new Date('2026-04-05T00:00:00.000Z') });
  });

  it('skips the periods a stopped job missed, to the one that contains now', () => {
    const { periodStart, periodEnd } = renewedPeriod(new Date('2025-11-20T00:00:00.000Z'), NOW);
    expect(periodStart.toISOString()).toBe('2026-02-20T00:00:00.000Z');
    expect(periodEnd.toISOString()).toBe('2026-03-20T00:00:00.000Z');
    expect(periodStart.getTime()).toBeLessThanOrEqual(NOW.getTime());
    expect(periodEnd.getTime()).toBeGreaterThan(NOW.getTime());
  });

  it('never yields a period that has already ended, even when now is a period boundary', () => {
    const { periodEnd } = renewedPeriod(new Date('2026-02-10T12:00:00.000Z'), NOW);
    expect(periodEnd.toISOString()).toBe('2026-04-10T12:00:00.000Z');
  });
});

describe('graceEndedBefore', () => {
  it(`is ${PAST_DUE_GRACE_DAYS} days before now`, () => {
    expect(graceEndedBefore(NOW).toISOString()).toBe('2026-03-03T12:00:00.000Z');
  });
});
