import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Clock, FixedClock } from '@coffee/common';
import { trustedTenantScope } from '@coffee/database';
import { addDays, RebuildSalesRollupsUseCase, SalesRollupRepository, type SalesRollup } from '@coffee/orders';
import { JobQueue, type JobStatus } from '@coffee/queue';
import { backfillJobId } from '@coffee/reports';
import { TEST_PASSWORD } from '../factories/restaurant.factory';
import { expectedTotals, placeAndPay, type PaidOrder } from '../factories/sales.factory';
import { place, seedShop, type Shop } from '../factories/shop.factory';
import { baseEnv, FULL_MODE, itFull } from '../support/env';
import { connectToDatabase } from '../support/database';
import { eventually, runCli, spawnApp, type RunningProcess } from '../support/processes';
import { BrowserSession } from '../support/session';
import { startTestApi, type TestApi } from '../support/test-app';

// Restarts the API (embedded mode) or spawns a worker (full mode): slow on a loaded 2-core machine.
jest.setTimeout(120_000);

const DASHBOARD = '/api/v1/reports/dashboard';

/**
 * Upgrading to the sales reports: migration 1764600000000 queues, per
 * restaurant with paid orders, a rebuild of the dates they fall on; the worker
 * (the API's in-process scheduler in embedded mode) runs them at start and on
 * a schedule. Here the rollups are wiped and the pending row inserted as the
 * migration would, then the mechanism must give back exactly what the
 * payments had maintained live.
 */
describe('sales rollups: the upgrade backfill runs on its own', () => {
  const clock = new FixedClock(new Date('2026-03-10T12:00:00Z'));
  // Embedded: this suite's own database file, kept across API restarts. Full: a database and a key
  // prefix of its own, so no other suite's worker drains these backfills or takes these jobs.
  const env: Record<string, string | undefined> = {
    ...baseEnv(),
    REDIS_KEY_PREFIX: `rb-${randomBytes(4).toString('hex')}`,
  };
  const overrides = { overrides: [{ provide: Clock, useValue: clock }] };
  let scratch: string | undefined;
  let api: TestApi;
  let worker: RunningProcess | undefined;

  beforeAll(async () => {
    if (FULL_MODE) {
      const url = new URL(process.env.DATABASE_URL ?? '');
      // The app's user may create `<name>_*` databases (scripts/services.sh).
      scratch = `${url.pathname.slice(1)}_backfill_${randomBytes(4).toString('hex')}`;
      const admin = await connectToDatabase();
      await admin.query(`CREATE DATABASE \`${scratch}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
      await admin.end();
      url.pathname = `/${scratch}`;
      env.DATABASE_URL = url.toString();
      env.DB_MIGRATE_ON_START = 'true';
    }
    api = await startTestApi(env, overrides);
  });

  afterAll(async () => {
    await api?.close();
    await worker?.stop();
    if (scratch) {
      const admin = await connectToDatabase();
      await admin.query(`DROP DATABASE IF EXISTS \`${scratch}\``);
      await admin.end();
    }
  });

  /** The jobs run in the API in embedded mode; in full mode they need a worker. */
  async function jobsRun(): Promise<void> {
    if (FULL_MODE && !worker) worker = await spawnApp('worker', { ...env, DB_MIGRATE_ON_START: 'false' });
  }

  async function restartApi(): Promise<void> {
    await api.close();
    api = await startTestApi(env, overrides);
  }

  const db = () => api.app.get(DataSource);

  async function wipeRollups(restaurantId: string): Promise<void> {
    for (const table of ['sales_hourly', 'sales_daily_items', 'sales_monthly_hourly', 'sales_monthly_items']) {
      await db().query(`DELETE FROM ${table} WHERE restaurant_id = ?`, [restaurantId]);
    }
  }

  /** What migration 1764600000000 records: the UTC dates of the first and last payment, widened by a day. */
  async function queueBackfill(restaurantId: string, paid: PaidOrder[]): Promise<{ from: string; to: string }> {
    const days = paid.map((order) => order.paidAt.slice(0, 10)).sort();
    const range = { from: addDays(days[0], -1), to: addDays(days[days.length - 1], 1) };
    await insertBackfill(restaurantId, range.from, range.to);
    return range;
  }

  async function insertBackfill(restaurantId: string, from: string, to: string): Promise<void> {
    await db().query('INSERT INTO sales_rollup_backfills (restaurant_id, from_date, to_date) VALUES (?, ?, ?)', [
      restaurantId,
      from,
      to,
    ]);
  }

  async function isPending(restaurantId: string): Promise<boolean> {
    const found: unknown[] = await db().query(
      'SELECT restaurant_id FROM sales_rollup_backfills WHERE restaurant_id = ?',
      [restaurantId],
    );
    return found.length > 0;
  }

  const done = (restaurantId: string) =>
    eventually(async () => ((await isPending(restaurantId)) ? undefined : true), 300);

  const settled = (id: string): Promise<JobStatus> =>
    eventually(async () => {
      const job = await api.app.get(JobQueue).getJob(id);
      return job?.state === 'completed' || job?.state === 'failed' ? job : undefined;
    }, 300);

  const rows = (restaurantId: string): Promise<SalesRollup> =>
    api.app.get(SalesRollupRepository).rows(trustedTenantScope(restaurantId), '2026-01-01', '2026-12-31');

  /** Four payments over three local dates in Tokyo (UTC+9), one each side of local midnight. */
  async function historyIn(shop: Shop): Promise<PaidOrder[]> {
    const latte = { menuItemId: shop.latte.id, quantity: 2, modifierOptionIds: [shop.latte.groups[1].options[1].id] };
    const cookie = { menuItemId: shop.cookie.id, quantity: 1 };
    return [
      await placeAndPay(shop.staff, clock, [latte, cookie], '2026-03-09T23:30:00Z', 100),
      await placeAndPay(shop.staff, clock, [cookie], '2026-03-10T14:59:00Z'),
      await placeAndPay(shop.staff, clock, [latte], '2026-03-10T15:00:00Z', 25),
      await placeAndPay(shop.staff, clock, [cookie, latte], '2026-03-12T03:00:00Z'),
    ];
  }

  it('rebuilds the history an upgrade queued when the app starts: the dashboard equals the live rollups', async () => {
    const shop = await seedShop(api.app, api.server, { timezone: 'Asia/Tokyo' });
    const restaurantId = shop.cafe.restaurant.id;
    const paid = await historyIn(shop);
    const range = `from=2026-03-01&to=2026-03-31`;
    const live = (await shop.owner.get(`${DASHBOARD}?${range}`).expect(200)).body;
    expect(live).toMatchObject(expectedTotals(paid));
    const liveRows = await rows(restaurantId);
    expect(liveRows.hourly.map((row) => row.businessDate)).toEqual([
      '2026-03-10',
      '2026-03-10',
      '2026-03-11',
      '2026-03-12',
    ]);

    // As after migration 1764500000000: the rollups know nothing of this history.
    await wipeRollups(restaurantId);
    expect(await rows(restaurantId)).toEqual({ hourly: [], items: [], monthly: { hourly: [], items: [] } });
    const { from, to } = await queueBackfill(restaurantId, paid);
    expect([from, to]).toEqual(['2026-03-08', '2026-03-13']);

    // A new release starts: the worker (full mode), the API with its in-process scheduler (embedded mode).
    if (FULL_MODE) await jobsRun();
    else await restartApi();
    await done(restaurantId);
    const job = await settled(backfillJobId({ restaurantId, restarts: 0 }));
    expect(job).toMatchObject({ state: 'completed', result: { days: 6, orders: 4, completed: true } });

    expect(await rows(restaurantId)).toEqual(liveRows);
    const owner = await BrowserSession.login(api.server, shop.cafe.owner.email, TEST_PASSWORD);
    expect((await owner.get(`${DASHBOARD}?${range}`).expect(200)).body).toEqual(live);
  });

  it('counts payments made while the backfill rebuilds their day exactly once', async () => {
    await jobsRun();
    const shop = await seedShop(api.app, api.server, { timezone: 'UTC' });
    const restaurantId = shop.cafe.restaurant.id;
    const cookie = [{ menuItemId: shop.cookie.id, quantity: 1 }];
    const day = '2026-04-30';
    const before = await placeAndPay(shop.staff, clock, cookie, `${day}T08:00:00Z`, 10);
    await wipeRollups(restaurantId);
    // Two months of days end on the day the payments land on (today, for an upgrade's backfill).
    await insertBackfill(restaurantId, '2026-03-01', day);

    const paid = [before];
    const run = (await api.app.get(JobQueue).enqueue('reports.backfill-rollups', {})).id;
    // Payments keep coming, in hours without a row yet at first (new rollup rows), until the backfill is done.
    for (let i = 0; (await isPending(restaurantId)) || i < 3; i++) {
      if (i === 300) throw new Error('the backfill never finished');
      const hour = String(9 + (i % 15)).padStart(2, '0');
      paid.push(await placeAndPay(shop.staff, clock, cookie, `${day}T${hour}:30:00Z`, 1));
    }
    paid.push(await placeAndPay(shop.staff, clock, cookie, `${day}T23:59:00Z`, 2));
    expect(await settled(run)).toMatchObject({ state: 'completed' });
    expect(await settled(backfillJobId({ restaurantId, restarts: 0 }))).toMatchObject({
      state: 'completed',
      result: { days: 61, completed: true },
    });

    const owner = await BrowserSession.login(api.server, shop.cafe.owner.email, TEST_PASSWORD);
    const dashboard = (await owner.get(`${DASHBOARD}?from=${day}&to=${day}`).expect(200)).body;
    expect(dashboard).toMatchObject(expectedTotals(paid));
    // And a rebuild from the orders now changes nothing.
    const now = await rows(restaurantId);
    await api.app.get(RebuildSalesRollupsUseCase).run(restaurantId, day, day);
    expect(await rows(restaurantId)).toEqual(now);
    expect(now.hourly.reduce((sum, row) => sum + row.orders, 0)).toBe(paid.length);
  });

  /**
   * The interleaving that would count a payment twice: it commits after the
   * rebuild deleted the day's rows but before the rebuild reads the day's
   * orders (both would then add it). The rebuild is held between the two by a
   * row its DELETE of the day's item rows must lock; the payment, of an item
   * and in an hour the day has no row for yet, must then wait for the rebuild.
   */
  itFull('holds a payment landing on a day being rebuilt until the rebuild commits; it counts once', async () => {
    const shop = await seedShop(api.app, api.server, { timezone: 'UTC' });
    const restaurantId = shop.cafe.restaurant.id;
    const day = '2026-07-01';
    const first = await placeAndPay(
      shop.staff,
      clock,
      [{ menuItemId: shop.cookie.id, quantity: 1 }],
      `${day}T08:00:00Z`,
    );
    const size = shop.latte.groups[1].options[0].id;
    const placed = await place(shop.staff, {
      type: 'takeaway',
      items: [{ menuItemId: shop.latte.id, quantity: 1, modifierOptionIds: [size] }],
    }).expect(201);
    const orderId = placed.body.id as string;
    for (const status of ['preparing', 'ready'])
      await shop.staff.post(`/api/v1/orders/${orderId}/status`, { status }).expect(200);

    const db = await connectToDatabase();
    const running = async (sql: string): Promise<boolean> => {
      const [found] = await db.query(
        "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE COMMAND = 'Query' AND INFO LIKE ?",
        [`${sql}%${restaurantId}%`],
      );
      return Number((found as { n: number }[])[0]?.n) >= 1;
    };
    try {
      await db.query(`USE \`${scratch}\``);
      await db.query('START TRANSACTION');
      await db.query(
        "INSERT INTO sales_daily_items (restaurant_id, business_date, menu_item_id, category_id, name, quantity, revenue) VALUES (?, ?, 'zzzzzzzz-held', NULL, 'held', 0, 0)",
        [restaurantId, day],
      );
      const rebuild = api.app.get(RebuildSalesRollupsUseCase).run(restaurantId, day, day);
      await eventually(async () => ((await running('DELETE FROM sales_daily_items')) ? true : undefined), 300);

      clock.set(new Date(`${day}T15:00:00Z`));
      let answered = false;
      const payment = shop.staff
        .post(`/api/v1/orders/${orderId}/status`, { status: 'paid', paymentMethod: 'cash', tip: 3 })
        .then((res) => {
          answered = true;
          return res;
        });
      // It waits on the rebuild's locks of the day's hourly rows (had it answered, it would have committed).
      await eventually(async () => (answered || (await running('INSERT INTO sales_hourly')) ? true : undefined), 300);
      expect(answered).toBe(false);
      await db.query('ROLLBACK');

      // The rebuild's read did not include the payment, which then added itself on top.
      expect(await rebuild).toEqual({ days: 1, orders: 1 });
      const paid = await payment;
      expect(paid.status).toBe(200);
      const owner = await BrowserSession.login(api.server, shop.cafe.owner.email, TEST_PASSWORD);
      const dashboard = (await owner.get(`${DASHBOARD}?from=${day}&to=${day}`).expect(200)).body;
      expect(dashboard).toMatchObject(expectedTotals([first, paid.body as PaidOrder]));
      expect(dashboard.topItems).toHaveLength(2);
    } finally {
      await db.query('ROLLBACK').catch(() => undefined);
      await db.end();
    }
  });

  it('enqueues a backfill whose rebuild job failed for good again, under a fresh job id, once', async () => {
    await jobsRun();
    const shop = await seedShop(api.app, api.server, { timezone: 'UTC' });
    const restaurantId = shop.cafe.restaurant.id;
    const cookies = [{ menuItemId: shop.cookie.id, quantity: 2 }];
    const paid = [await placeAndPay(shop.staff, clock, cookies, '2026-05-02T10:00:00Z')];
    const liveRows = await rows(restaurantId);
    await wipeRollups(restaurantId);
    await queueBackfill(restaurantId, paid);

    // The first job under the backfill's id failed for good (here: a rebuild of a restaurant that does not exist).
    const queue = api.app.get(JobQueue);
    const first = backfillJobId({ restaurantId, restarts: 0 });
    await queue.enqueue(
      'reports.rebuild-rollups',
      { restaurantId: randomUUID(), from: '2026-05-01', to: '2026-05-03', backfill: true },
      { jobId: first, attempts: 1 },
    );
    expect(await settled(first)).toMatchObject({ state: 'failed' });
    expect(await isPending(restaurantId)).toBe(true);

    // Two drains at once (two workers starting together): one restart, one new job.
    const runs = await Promise.all([1, 2].map(async () => (await queue.enqueue('reports.backfill-rollups', {})).id));
    for (const id of runs) expect(await settled(id)).toMatchObject({ state: 'completed' });
    await done(restaurantId);
    expect(await settled(backfillJobId({ restaurantId, restarts: 1 }))).toMatchObject({
      state: 'completed',
      result: { days: 3, orders: 1, completed: true },
    });
    expect(await queue.getJob(backfillJobId({ restaurantId, restarts: 2 }))).toBeNull();
    expect(await rows(restaurantId)).toEqual(liveRows);
  });

  it('npm run cli -- reports:rebuild --pending lists (--dry-run) and runs the pending backfills', async () => {
    const shop = await seedShop(api.app, api.server, { timezone: 'UTC' });
    const restaurantId = shop.cafe.restaurant.id;
    const paid = [
      await placeAndPay(shop.staff, clock, [{ menuItemId: shop.cookie.id, quantity: 1 }], '2026-06-01T10:00:00Z', 5),
    ];
    const liveRows = await rows(restaurantId);
    await wipeRollups(restaurantId);
    await queueBackfill(restaurantId, paid);
    // Nothing else drains meanwhile: embedded, the API lets go of the database file for the CLI; full, the
    // worker (whose schedule could tick) stops.
    if (!FULL_MODE) await api.close();
    await worker?.stop();
    worker = undefined;
    try {
      const list = await runCli(['reports:rebuild', '--pending', '--dry-run'], env);
      expect(list.code).toBe(0);
      expect(list.output).toMatch(new RegExp(`^${restaurantId}\\t2026-05-31\\t2026-06-02\\t0\\t\\d{4}-`, 'm'));
      expect(list.output).toContain('1 pending backfill(s)\n');
      const bad = await runCli(['reports:rebuild', '--pending', '--restaurant', restaurantId], env);
      expect([bad.code, bad.output]).toEqual([1, expect.stringContaining('--pending takes no --restaurant')]);

      const run = await runCli(['reports:rebuild', '--pending'], env);
      expect(run.code).toBe(0);
      expect(run.output).toContain(
        JSON.stringify({ restaurantId, from: '2026-05-31', to: '2026-06-02', days: 3, orders: 1, completed: true }),
      );
      expect(run.output).toContain('1 pending backfill(s) run');
    } finally {
      if (!FULL_MODE) await restartApi();
    }
    expect(await isPending(restaurantId)).toBe(false);
    expect(await rows(restaurantId)).toEqual(liveRows);
  });
});
