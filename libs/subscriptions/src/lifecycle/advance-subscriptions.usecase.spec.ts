import type { EntityManager } from 'typeorm';
import type { TransactionRunner, TransactionScope } from '@coffee/database';
import { IntegrationEvents, type IntegrationEvent } from '@coffee/tenancy';
import type { LifecycleMove } from '../domain/lifecycle';
import { AdvanceSubscriptionsUseCase } from './advance-subscriptions.usecase';
import type { DueSubscription, SubscriptionLifecycleRepository } from './subscription-lifecycle.repository';

const DAY = 24 * 3600 * 1000;
const NOW = new Date('2026-03-10T12:00:00.000Z');
const PRICES = new Map([
  ['free', 0],
  ['pro', 2900],
]);

function due(id: string, overrides: Partial<DueSubscription> = {}): DueSubscription {
  return {
    id,
    restaurantId: `r-${id}`,
    planCode: 'pro',
    status: 'active',
    currentPeriodEnd: new Date(NOW.getTime() - DAY),
    pastDueSince: null,
    ...overrides,
  };
}

/** A repository over fixed candidate lists that pages them as the real one does; `lost` ids were moved by someone else. */
function fakeRepository(
  rows: { trialing?: DueSubscription[]; active?: DueSubscription[]; pastDue?: DueSubscription[] },
  lost = new Set<string>(),
) {
  const applied: { id: string; move: LifecycleMove }[] = [];
  const pageAfter = (list: DueSubscription[], afterId: string | null, limit: number) =>
    list.slice(afterId === null ? 0 : list.findIndex((row) => row.id === afterId) + 1).slice(0, limit);
  const repository = {
    planPrices: jest.fn(() => Promise.resolve(PRICES)),
    periodEnded: jest.fn((status: 'trialing' | 'active', _now: Date, after: DueSubscription | null, limit: number) =>
      Promise.resolve(pageAfter(rows[status] ?? [], after?.id ?? null, limit)),
    ),
    graceEnded: jest.fn((_now: Date, afterId: string | null, limit: number) =>
      Promise.resolve(pageAfter(rows.pastDue ?? [], afterId, limit)),
    ),
    apply: jest.fn((_manager: EntityManager, id: string, move: LifecycleMove) => {
      if (lost.has(id)) return Promise.resolve(false);
      applied.push({ id, move });
      return Promise.resolve(true);
    }),
  };
  return { repository, applied };
}

const transactions = {
  run: <T>(work: (manager: EntityManager) => Promise<T>) => work({} as EntityManager),
} as unknown as TransactionRunner;

/** Records the events written, with the restaurant of the scope they were written in. */
class RecordedEvents extends IntegrationEvents {
  readonly written: { restaurantId: string; event: IntegrationEvent }[] = [];
  record(tx: TransactionScope, event: IntegrationEvent): Promise<void> {
    this.written.push({ restaurantId: tx.restaurantId, event });
    return Promise.resolve();
  }
}

function useCase(
  repository: ReturnType<typeof fakeRepository>['repository'],
  events: IntegrationEvents = new RecordedEvents(),
): AdvanceSubscriptionsUseCase {
  return new AdvanceSubscriptionsUseCase(
    transactions,
    repository as unknown as SubscriptionLifecycleRepository,
    events,
  );
}

describe('AdvanceSubscriptionsUseCase', () => {
  it('moves each due subscription and counts the moves by kind', async () => {
    const { repository, applied } = fakeRepository({
      trialing: [due('t1', { status: 'trialing' }), due('t2', { status: 'trialing', planCode: 'free' })],
      active: [due('a1'), due('a2', { planCode: 'free' })],
      pastDue: [due('p1', { status: 'past_due', pastDueSince: new Date(NOW.getTime() - 8 * DAY) })],
    });
    await expect(useCase(repository).run(NOW)).resolves.toEqual({ pastDue: 2, canceled: 1, renewed: 2 });
    expect(applied.map(({ id, move }) => `${id}:${move.from}>${move.to}`)).toEqual([
      't1:trialing>past_due',
      't2:trialing>active',
      'a1:active>past_due',
      'a2:active>active',
      'p1:past_due>canceled',
    ]);
  });

  it('reads in pages until a short page, keyset after the last row', async () => {
    const active = Array.from({ length: 7 }, (_, i) => due(`a${i}`));
    const { repository, applied } = fakeRepository({ active });
    await expect(useCase(repository).run(NOW, 3)).resolves.toEqual({ pastDue: 7, canceled: 0, renewed: 0 });
    expect(applied).toHaveLength(7);
    const activeCalls = repository.periodEnded.mock.calls.filter(([status]) => status === 'active');
    expect(activeCalls.map(([, , after]) => after?.id ?? null)).toEqual([null, 'a2', 'a5']);
  });

  it('does not count a move another run made first (the conditional UPDATE affected nothing)', async () => {
    const { repository } = fakeRepository({ active: [due('a1'), due('a2'), due('a3')] }, new Set(['a2']));
    await expect(useCase(repository).run(NOW)).resolves.toEqual({ pastDue: 2, canceled: 0, renewed: 0 });
  });

  it('writes one subscription.changed event per move it made, in the restaurant of the subscription', async () => {
    const { repository } = fakeRepository(
      { active: [due('a1'), due('a2'), due('a3', { planCode: 'free' })] },
      new Set(['a2']),
    );
    const events = new RecordedEvents();
    await useCase(repository, events).run(NOW);
    expect(events.written.map(({ restaurantId, event }) => [restaurantId, event.type, event.data.reason])).toEqual([
      ['r-a1', 'subscription.changed', 'past_due'],
      ['r-a3', 'subscription.changed', 'renewed'],
    ]);
    expect(events.written[0].event.data).toMatchObject({
      subscription: { planCode: 'pro', status: 'past_due' },
      previous: { planCode: 'pro', status: 'active' },
    });
  });

  it('skips a candidate that the rules say is not due (no UPDATE sent)', async () => {
    const { repository } = fakeRepository({
      pastDue: [due('p1', { status: 'past_due', pastDueSince: new Date(NOW.getTime() - DAY) })],
    });
    await expect(useCase(repository).run(NOW)).resolves.toEqual({ pastDue: 0, canceled: 0, renewed: 0 });
    expect(repository.apply).not.toHaveBeenCalled();
  });

  it('fails on a plan it does not know rather than guess its price', async () => {
    const { repository } = fakeRepository({ active: [due('a1', { planCode: 'gold' })] });
    await expect(useCase(repository).run(NOW)).rejects.toThrow('unknown plan gold');
  });
});
