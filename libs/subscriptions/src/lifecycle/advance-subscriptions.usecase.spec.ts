import type { EntityManager } from 'typeorm';
import type { TransactionRunner } from '@coffee/database';
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

function useCase(repository: ReturnType<typeof fakeRepository>['repository']): AdvanceSubscriptionsUseCase {
  return new AdvanceSubscriptionsUseCase(transactions, repository as unknown as SubscriptionLifecycleRepository);
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
