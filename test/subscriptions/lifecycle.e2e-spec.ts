import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, FixedClock } from '@coffee/common';
import {
  periodEndFrom,
  SubscriptionEntity,
  SubscriptionLifecycleHandler,
  SubscriptionLifecycleRepository,
  type LifecycleCounts,
} from '@coffee/subscriptions';
import { seedRestaurant, TEST_PASSWORD } from '../factories/restaurant.factory';
import { idempotencyKey, place, seedShop, takeaway, type Shop } from '../factories/shop.factory';
import { FULL_MODE } from '../support/env';
import { bearer, BrowserSession } from '../support/session';
import { startTestApi, type TestApi } from '../support/test-app';

const DAY = 24 * 3600 * 1000;

/**
 * How time passes here without disturbing the suites that run beside this
 * one. The job sweeps every subscription in the database, and in full mode
 * the database is shared with them; running it at a future `now` would move
 * their fresh trials too. So the app's clock is a FixedClock pinned at the
 * real time the suite starts, and it never moves: the job always runs at that
 * `now`, and "15 days later" is made by moving OUR restaurant's dates 15 days
 * into the past ({@link travel}: its period, trial and past-due date, in its
 * own subscription row), which for that restaurant is the same as the clock
 * moving forward. At the pinned `now`, the other suites' trials (created at
 * the real time, 14 days long) are not due, so nothing of theirs moves.
 *
 * A worker started by another suite may also run the job (at the real time,
 * which sees our back-dated rows as due too), so the tests check where our
 * subscriptions end up, and never which run moved them — except the
 * concurrency test, which counts its own runs' moves from the inside.
 */
describe('subscription lifecycle job: trials and periods end, grace runs out, a plan change brings it back', () => {
  const clock = new FixedClock(new Date());
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi({}, { overrides: [{ provide: Clock, useValue: clock }] });
  });

  afterAll(async () => {
    await api.close();
  });

  const runJob = (): Promise<LifecycleCounts> => api.app.get(SubscriptionLifecycleHandler).handle({});

  it('a paid trial runs out: past due and still writable for 7 days, then canceled and read-only until a plan change', async () => {
    const shop = await seedShop(api.app, api.server);
    const restaurantId = shop.cafe.restaurant.id;
    const key = (
      await shop.owner
        .post('/api/v1/api-keys', { name: 'POS', scopes: ['orders:write', 'orders:read', 'menu:read'] })
        .expect(201)
    ).body.key as string;
    expect((await shop.owner.get('/api/v1/subscriptions/current').expect(200)).body.status).toBe('trialing');

    // Day 15: the 14-day trial is over.
    await travel(api.app, restaurantId, 15 * DAY);
    await runJob();
    const pastDue = await subscriptionOf(api.app, restaurantId);
    expect(pastDue.status).toBe('past_due');
    expect(pastDue.pastDueSince).not.toBeNull();
    expect(pastDue.pastDueSince!.getTime()).toBeGreaterThanOrEqual(clock.now().getTime());
    expect((await shop.owner.get('/api/v1/subscriptions/current').expect(200)).body.status).toBe('past_due');
    await expectWrites(shop, key, 201);

    // Running it again within the grace period changes nothing.
    await runJob();
    expect(await subscriptionOf(api.app, restaurantId)).toMatchObject({ status: 'past_due' });

    // Day 23: more than 7 days past due. The write gate already refuses; the job makes it canceled.
    await travel(api.app, restaurantId, 8 * DAY);
    await expectWrites(shop, key, 403);
    await runJob();
    expect(await subscriptionOf(api.app, restaurantId)).toMatchObject({ status: 'canceled' });
    await expectWrites(shop, key, 403);

    // Reads and sign-in keep working, with a cookie and with the key.
    await shop.owner.get('/api/v1/menu/categories').expect(200);
    await shop.staff.get('/api/v1/orders').expect(200);
    await bearer(api.server, key).get('/api/v1/orders').expect(200);
    expect((await shop.owner.get('/api/v1/subscriptions/current').expect(200)).body.status).toBe('canceled');
    const again = new BrowserSession(api.server);
    expect((await again.loginResponse(shop.cafe.owner.email, TEST_PASSWORD)).status).toBe(200);

    // The way back: the owner picks a plan.
    const changed = await again.post('/api/v1/subscriptions/change-plan', { planCode: 'pro' }).expect(200);
    expect(changed.body).toMatchObject({
      planCode: 'pro',
      status: 'active',
      currentPeriodStart: clock.now().toISOString(),
      currentPeriodEnd: periodEndFrom(clock.now()).toISOString(),
    });
    await expectWrites(shop, key, 201);
    await runJob();
    expect(await subscriptionOf(api.app, restaurantId)).toMatchObject({ status: 'active', pastDueSince: null });
  });

  it('past due goes back to active through a plan change, within the grace period', async () => {
    const shop = await seedShop(api.app, api.server);
    const restaurantId = shop.cafe.restaurant.id;
    await travel(api.app, restaurantId, 15 * DAY);
    await runJob();
    expect(await subscriptionOf(api.app, restaurantId)).toMatchObject({ status: 'past_due' });

    const changed = await shop.owner.post('/api/v1/subscriptions/change-plan', { planCode: 'pro' }).expect(200);
    expect(changed.body).toMatchObject({ planCode: 'pro', status: 'active' });
    expect(await subscriptionOf(api.app, restaurantId)).toMatchObject({ status: 'active', pastDueSince: null });

    // A week later the new period is still running: nothing to do for it.
    await travel(api.app, restaurantId, 7 * DAY);
    await runJob();
    expect(await subscriptionOf(api.app, restaurantId)).toMatchObject({ status: 'active' });
    await place(shop.staff, takeaway(shop)).expect(201);
  });

  it('a free plan renews when its trial or period ends instead of going past due', async () => {
    const { restaurant } = await seedRestaurant(api.app, { planCode: 'free' });
    await travel(api.app, restaurant.id, 15 * DAY);
    const trialEnd = (await subscriptionOf(api.app, restaurant.id)).currentPeriodEnd;
    await runJob();
    const renewed = await subscriptionOf(api.app, restaurant.id);
    expect(renewed).toMatchObject({
      status: 'active',
      pastDueSince: null,
      currentPeriodStart: trialEnd,
      currentPeriodEnd: periodEndFrom(trialEnd),
    });

    // Two and a half months on (a stopped worker, say): it rolls on to the period that contains now.
    await travel(api.app, restaurant.id, 75 * DAY);
    await runJob();
    const later = await subscriptionOf(api.app, restaurant.id);
    expect(later.status).toBe('active');
    expect(later.currentPeriodStart.getTime()).toBeLessThanOrEqual(clock.now().getTime());
    expect(later.currentPeriodEnd.getTime()).toBeGreaterThan(clock.now().getTime());
    expect(later.currentPeriodEnd).toEqual(periodEndFrom(later.currentPeriodStart));
  });

  it('two runs at once move each subscription exactly once, without errors', async () => {
    const trials = await Promise.all([0, 1, 2, 3].map(() => seedRestaurant(api.app, { planCode: 'pro' })));
    const free = await Promise.all([0, 1, 2].map(() => seedRestaurant(api.app, { planCode: 'free' })));
    const overdue = await Promise.all([0, 1, 2].map(() => seedRestaurant(api.app, { planCode: 'pro' })));
    for (const { restaurant } of [...trials, ...free]) await travel(api.app, restaurant.id, 15 * DAY);
    for (const { restaurant } of overdue) {
      await makePastDue(api.app, restaurant.id, new Date(clock.now().getTime() - 8 * DAY));
    }
    const ours = new Map<string, SubscriptionEntity>();
    for (const { restaurant } of [...trials, ...free, ...overdue]) {
      const subscription = await subscriptionOf(api.app, restaurant.id);
      ours.set(subscription.id, subscription);
    }

    // Every conditional UPDATE the two runs send, and whether it moved the row.
    const repository = api.app.get(SubscriptionLifecycleRepository);
    const apply = repository.apply.bind(repository);
    const updates: { id: string; moved: boolean }[] = [];
    const spy = jest.spyOn(repository, 'apply').mockImplementation(async (manager, id, move, now) => {
      const moved = await apply(manager, id, move, now);
      updates.push({ id, moved });
      return moved;
    });
    let results: LifecycleCounts[];
    try {
      results = await Promise.all([runJob(), runJob()]);
    } finally {
      spy.mockRestore();
    }

    const total = (counts: LifecycleCounts): number => counts.pastDue + counts.canceled + counts.renewed;
    const moves = (id: string): number => updates.filter((update) => update.id === id && update.moved).length;
    // The runs report exactly the moves they made (over the whole database), and none was made twice.
    expect(total(results[0]) + total(results[1])).toBe(updates.filter((update) => update.moved).length);
    for (const { id } of updates) expect(moves(id)).toBeLessThanOrEqual(1);
    if (!FULL_MODE) {
      // The embedded database is this suite's own: nothing but these two runs can have moved our rows.
      for (const id of ours.keys()) expect(moves(id)).toBe(1);
    }

    for (const { restaurant } of trials) {
      expect(await subscriptionOf(api.app, restaurant.id)).toMatchObject({ status: 'past_due' });
    }
    for (const { restaurant } of free) {
      const before = [...ours.values()].find((subscription) => subscription.restaurantId === restaurant.id)!;
      // Renewed once: the period right after the trial, not the one after that.
      expect(await subscriptionOf(api.app, restaurant.id)).toMatchObject({
        status: 'active',
        currentPeriodStart: before.currentPeriodEnd,
        currentPeriodEnd: periodEndFrom(before.currentPeriodEnd),
      });
    }
    for (const { restaurant } of overdue) {
      expect(await subscriptionOf(api.app, restaurant.id)).toMatchObject({ status: 'canceled' });
    }
  });

  it('refuses a payload time that is not a date', async () => {
    await expect(api.app.get(SubscriptionLifecycleHandler).handle({ now: 'yesterday' })).rejects.toThrow('not a date');
  });

  async function expectWrites(shop: Shop, apiKey: string, status: 201 | 403): Promise<void> {
    const responses = [
      await shop.owner.post('/api/v1/menu/categories', { name: `Cat ${idempotencyKey()}` }),
      await place(shop.staff, takeaway(shop)),
      await bearer(api.server, apiKey).post('/api/v1/orders', takeaway(shop)).set('Idempotency-Key', idempotencyKey()),
    ];
    for (const response of responses) {
      expect(response.status).toBe(status);
      if (status === 403) expect(response.body.code).toBe('SUBSCRIPTION_INACTIVE');
    }
  }
});

async function subscriptionOf(app: INestApplication, restaurantId: string): Promise<SubscriptionEntity> {
  return app.get(DataSource).getRepository(SubscriptionEntity).findOneByOrFail({ restaurantId });
}

/** "`ms` later" for one restaurant: its subscription's dates move `ms` into the past. */
async function travel(app: INestApplication, restaurantId: string, ms: number): Promise<void> {
  const subscription = await subscriptionOf(app, restaurantId);
  const earlier = (date: Date): Date => new Date(date.getTime() - ms);
  await app
    .get(DataSource)
    .getRepository(SubscriptionEntity)
    .update(
      { id: subscription.id },
      {
        currentPeriodStart: earlier(subscription.currentPeriodStart),
        currentPeriodEnd: earlier(subscription.currentPeriodEnd),
        pastDueSince: subscription.pastDueSince && earlier(subscription.pastDueSince),
      },
    );
}

/** A subscription that went past due at `since` (its trial having ended then). */
async function makePastDue(app: INestApplication, restaurantId: string, since: Date): Promise<void> {
  await app
    .get(DataSource)
    .getRepository(SubscriptionEntity)
    .update({ restaurantId }, { status: 'past_due', pastDueSince: since, currentPeriodEnd: since });
}
