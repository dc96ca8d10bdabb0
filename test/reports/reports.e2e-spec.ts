import { DataSource } from 'typeorm';
import { Clock, FixedClock } from '@coffee/common';
import { trustedTenantScope } from '@coffee/database';
import { JobQueue } from '@coffee/queue';
import { addDays, businessDate, RebuildSalesRollupsUseCase, SalesRollupRepository } from '@coffee/orders';
import { signedInCrew } from '../factories/crew.factory';
import { category, item } from '../factories/menu.factory';
import { expectedTotals, placeAndPay, sellNow } from '../factories/sales.factory';
import { place, seedShop } from '../factories/shop.factory';
import { itFull } from '../support/env';
import { eventually, runCli, spawnApp, type RunningProcess } from '../support/processes';
import { bearer, type BrowserSession } from '../support/session';
import { startTestApi, type TestApi } from '../support/test-app';

const DASHBOARD = '/api/v1/reports/dashboard';

describe('reports: dashboard from the sales rollups', () => {
  let api: TestApi;
  const clock = new FixedClock(new Date('2026-03-10T12:00:00Z'));

  beforeAll(async () => {
    api = await startTestApi({}, { overrides: [{ provide: Clock, useValue: clock }] });
  });

  afterAll(async () => {
    await api?.close();
  });

  it('sums paid orders by local business date in America/Bogota, 23:30 included on its own day', async () => {
    const shop = await seedShop(api.app, api.server, { timezone: 'America/Bogota', currency: 'COP' });
    const pastries = await category(shop.owner, { name: 'Pastries' });
    const croissant = await item(shop.owner, pastries, { name: 'Croissant', price: 300, taxRateBps: 800 });
    const [milk, size] = shop.latte.groups;
    const latte = {
      menuItemId: shop.latte.id,
      quantity: 2,
      modifierOptionIds: [milk.options[0].id, size.options[1].id],
    };

    clock.set(new Date('2026-03-10T14:00:00Z'));
    // 10:00 in Bogotá (UTC−5).
    const morning = await placeAndPay(
      shop.staff,
      clock,
      [latte, { menuItemId: shop.cookie.id, quantity: 1 }],
      '2026-03-10T15:00:00Z',
      100,
    );
    // 23:30 in Bogotá on the 10th, already the 11th in UTC.
    const late = await placeAndPay(
      shop.staff,
      clock,
      [{ menuItemId: croissant.id, quantity: 3 }],
      '2026-03-11T04:30:00Z',
      0,
    );
    // 00:30 on the 11th.
    const nextDay = await placeAndPay(
      shop.staff,
      clock,
      [{ menuItemId: shop.cookie.id, quantity: 2 }],
      '2026-03-11T05:30:00Z',
      50,
    );
    // Placed, never paid: not in any report.
    await place(shop.staff, { type: 'takeaway', items: [{ menuItemId: shop.cookie.id, quantity: 5 }] }).expect(201);

    // Hand-computed: latte (450 + 60 oat + 100 large) × 2 = 1220, cookie 250, croissant 300 × 3 = 900.
    expect(morning.subtotal).toBe(1470);
    expect(late.subtotal).toBe(900);

    const day = (await shop.owner.get(`${DASHBOARD}?from=2026-03-10&to=2026-03-10`).expect(200)).body;
    expect(day).toMatchObject({
      ...expectedTotals([morning, late]),
      revenue: 2370,
      tips: 100,
      orders: 2,
      averageTicket: 1185,
    });
    expect(day.byHour).toHaveLength(24);
    expect(day.byHour[10]).toEqual({ hour: 10, orders: 1, revenue: 1470 });
    expect(day.byHour[23]).toEqual({ hour: 23, orders: 1, revenue: 900 });
    expect(day.byHour.filter((h: { orders: number }) => h.orders > 0)).toHaveLength(2);
    expect(day.byCategory).toEqual([
      { categoryId: expect.any(String), name: 'All', revenue: 1470, quantity: 3 },
      { categoryId: pastries, name: 'Pastries', revenue: 900, quantity: 3 },
    ]);
    expect(day.topItems).toEqual([
      { menuItemId: shop.latte.id, name: 'Latte', quantity: 2, revenue: 1220 },
      { menuItemId: croissant.id, name: 'Croissant', quantity: 3, revenue: 900 },
      { menuItemId: shop.cookie.id, name: 'Cookie', quantity: 1, revenue: 250 },
    ]);

    const next = (await shop.owner.get(`${DASHBOARD}?from=2026-03-11&to=2026-03-11`).expect(200)).body;
    expect(next).toMatchObject({ ...expectedTotals([nextDay]), revenue: 500, tips: 50, averageTicket: 500 });
    expect(next.byHour[0]).toEqual({ hour: 0, orders: 1, revenue: 500 });

    // Default range: today in Bogotá (clock now at 00:30 on the 11th).
    expect((await shop.owner.get(DASHBOARD).expect(200)).body.orders).toBe(1);

    // A deleted category keeps its name in reports.
    await shop.owner.delete(`/api/v1/menu/items/${croissant.id}`).expect(204);
    await shop.owner.delete(`/api/v1/menu/categories/${pastries}`).expect(204);
    const both = (await shop.owner.get(`${DASHBOARD}?from=2026-03-10&to=2026-03-11`).expect(200)).body;
    expect(both.byCategory.map((c: { name: string }) => c.name)).toEqual(['All', 'Pastries']);
    expect(both.orders).toBe(3);
    // Summed over both days: the cookie's two days add up to 750.
    expect(both.topItems.map((row: { name: string; revenue: number }) => [row.name, row.revenue])).toEqual([
      ['Latte', 1220],
      ['Croissant', 900],
      ['Cookie', 750],
    ]);

    // Whole months are read from the monthly rollups, the days around them from the daily ones: same numbers.
    for (const [from, to] of [
      ['2026-03-01', '2026-03-31'],
      ['2026-02-15', '2026-04-15'],
      ['2025-04-01', '2026-03-31'],
    ]) {
      expect((await shop.owner.get(`${DASHBOARD}?from=${from}&to=${to}`).expect(200)).body).toEqual(both);
    }

    // The rebuild from raw orders gives exactly what the payments maintained.
    const rollups = api.app.get(SalesRollupRepository);
    const scope = trustedTenantScope(shop.cafe.restaurant.id);
    const live = await rollups.rows(scope, '2026-03-01', '2026-03-31');
    expect(live.hourly).toHaveLength(3);
    await api.app.get(DataSource).query('DELETE FROM sales_hourly WHERE restaurant_id = ?', [scope.restaurantId]);
    const result = await api.app.get(RebuildSalesRollupsUseCase).run(scope.restaurantId, '2026-03-01', '2026-03-31');
    expect(result).toEqual({ days: 31, orders: 3 });
    expect(await rollups.rows(scope, '2026-03-01', '2026-03-31')).toEqual(live);
  });

  it('puts payments across the New York DST change on the right dates and hours', async () => {
    const shop = await seedShop(api.app, api.server, { timezone: 'America/New_York' });
    const cookie = [{ menuItemId: shop.cookie.id, quantity: 1 }];
    clock.set(new Date('2026-03-08T04:00:00Z'));
    // 23:30 EST on the 7th; 03:30 EDT on the 8th (clocks sprang 02:00 → 03:00); 23:30 EDT on the 8th.
    const a = await placeAndPay(shop.staff, clock, cookie, '2026-03-08T04:30:00Z');
    const b = await placeAndPay(shop.staff, clock, cookie, '2026-03-08T07:30:00Z');
    const c = await placeAndPay(shop.staff, clock, cookie, '2026-03-09T03:30:00Z');
    const eighth = (await shop.owner.get(`${DASHBOARD}?from=2026-03-08&to=2026-03-08`).expect(200)).body;
    expect(eighth).toMatchObject(expectedTotals([b, c]));
    expect(eighth.byHour[3].orders).toBe(1);
    expect(eighth.byHour[23].orders).toBe(1);
    expect(eighth.byHour[2].orders).toBe(0);
    const both = (await shop.owner.get(`${DASHBOARD}?from=2026-03-07&to=2026-03-08`).expect(200)).body;
    expect(both).toMatchObject(expectedTotals([a, b, c]));
    expect(both.byHour[23].orders).toBe(2);
  });

  it('shows a new payment at once despite the cache', async () => {
    const shop = await seedShop(api.app, api.server);
    clock.set(new Date('2026-03-10T15:00:00Z'));
    const cookie = [{ menuItemId: shop.cookie.id, quantity: 1 }];
    await placeAndPay(shop.staff, clock, cookie, '2026-03-10T15:00:00Z');
    expect((await shop.owner.get(DASHBOARD).expect(200)).body.orders).toBe(1);
    expect((await shop.owner.get(DASHBOARD).expect(200)).body.orders).toBe(1);
    await placeAndPay(shop.staff, clock, cookie, '2026-03-10T15:05:00Z');
    expect((await shop.owner.get(DASHBOARD).expect(200)).body.orders).toBe(2);
    expect((await shop.owner.get(DASHBOARD).set('Cache-Control', 'no-cache').expect(200)).body.orders).toBe(2);
  });

  it('keeps exact sums when payments of the same hour and items run concurrently', async () => {
    const shop = await seedShop(api.app, api.server, { timezone: 'UTC' });
    clock.set(new Date('2026-03-12T09:00:00Z'));
    const items = [
      { menuItemId: shop.cookie.id, quantity: 1 },
      { menuItemId: shop.latte.id, quantity: 1, modifierOptionIds: [shop.latte.groups[1].options[0].id] },
    ];
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const id = (await place(shop.staff, { type: 'takeaway', items }).expect(201)).body.id as string;
      for (const status of ['preparing', 'ready'])
        await shop.staff.post(`/api/v1/orders/${id}/status`, { status }).expect(200);
      ids.push(id);
    }
    const paid = await Promise.all(
      ids.map((id) =>
        shop.staff.post(`/api/v1/orders/${id}/status`, { status: 'paid', paymentMethod: 'cash', tip: 10 }),
      ),
    );
    expect(paid.map((res) => res.status)).toEqual(ids.map(() => 200));
    const day = (await shop.owner.get(`${DASHBOARD}?from=2026-03-12&to=2026-03-12`).expect(200)).body;
    expect(day).toMatchObject({ orders: 8, revenue: 8 * 700, tips: 80, averageTicket: 700 });
    expect(day.topItems.map((row: { quantity: number }) => row.quantity)).toEqual([8, 8]);
  });

  it('answers 422 for reversed, over-long and malformed ranges', async () => {
    const { owner } = await signedInCrew(api.app, api.server);
    for (const query of [
      'from=2026-03-02&to=2026-03-01',
      'from=2024-01-01&to=2025-01-01',
      'from=2026-02-30',
      'from=03/01/2026',
      'to=tomorrow',
    ]) {
      const res = await owner.get(`${DASHBOARD}?${query}`);
      expect([query, res.status, res.body.code]).toEqual([query, 422, 'VALIDATION_FAILED']);
    }
    await owner.get(`${DASHBOARD}?from=2025-03-10&to=2026-03-10`).expect(200);
  });

  it('lets owners, managers and reports:read keys in; staff and other keys get 403', async () => {
    const crew = await signedInCrew(api.app, api.server);
    await crew.owner.get(DASHBOARD).expect(200);
    await crew.manager.get(DASHBOARD).expect(200);
    expect((await crew.staff.get(DASHBOARD)).status).toBe(403);
    expect((await crew.staff.post('/api/v1/reports/daily', { date: '2026-03-01' })).status).toBe(403);
    const key = async (scopes: string[]) =>
      (await crew.owner.post('/api/v1/api-keys', { name: `k-${scopes.join()}`, scopes }).expect(201)).body
        .key as string;
    const ordersOnly = await key(['orders:read']);
    const reports = await key(['reports:read']);
    expect((await bearer(api.server, ordersOnly).get(DASHBOARD)).status).toBe(403);
    const ok = await bearer(api.server, reports).get(DASHBOARD);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ orders: 0, revenue: 0, averageTicket: 0, byCategory: [], topItems: [] });
  });
});

/** Daily reports run as jobs: in process in embedded mode, in the worker app in full mode. */
describe('reports: daily report jobs', () => {
  let api: TestApi;
  let worker: RunningProcess | undefined;

  beforeAll(async () => {
    if (process.env.DATABASE_URL) worker = await spawnApp('worker', { DB_MIGRATE_ON_START: 'false' });
    api = await startTestApi();
  });

  afterAll(async () => {
    await api?.close();
    await worker?.stop();
  });

  const completed = (session: BrowserSession, jobId: string) =>
    eventually(async () => {
      const res = await session.get(`/api/v1/reports/jobs/${jobId}`).expect(200);
      const job = res.body as { state: string };
      return job.state === 'completed' || job.state === 'failed' ? job : undefined;
    }, 200);

  it('generates, stores and serves the report of a day as JSON and CSV; re-running replaces it', async () => {
    const shop = await seedShop(api.app, api.server, { timezone: 'UTC', currency: 'USD' });
    const category = (await shop.owner.post('/api/v1/menu/categories', { name: '=Evil, "cat"' }).expect(201)).body.id;
    const evil = await item(shop.owner, category, { name: '+cmd|calc', price: 1234, taxRateBps: 0 });
    const { date: today } = await sellNow(shop, [{ menuItemId: evil.id, quantity: 2 }], {
      paymentMethod: 'card',
      tip: 5,
    });

    const accepted = await shop.owner.post('/api/v1/reports/daily', { date: today });
    expect(accepted.status).toBe(202);
    const { jobId } = accepted.body as { jobId: string };
    const job = await completed(shop.owner, jobId);
    expect(job).toMatchObject({ id: jobId, state: 'completed', result: { date: today, orders: 1, revenue: 2468 } });

    const dashboard = (await shop.owner.get(`${DASHBOARD}?from=${today}&to=${today}`).expect(200)).body;
    const stored = (await shop.owner.get(`/api/v1/reports/daily/${today}`).expect(200)).body;
    expect(stored).toEqual({ ...dashboard, date: today, currency: 'USD', generatedAt: expect.any(String) });

    const csv = await shop.owner.get(`/api/v1/reports/daily/${today}.csv`).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    const lines = csv.text.split('\r\n');
    expect(lines[0]).toBe('section,key,name,orders,quantity,revenue,tax,tips,average_ticket,currency,date');
    expect(lines[1]).toBe(`summary,,,1,,24.68,0.00,0.05,24.68,USD,${today}`);
    expect(lines).toContain(`category,${category},"'=Evil, ""cat""",,2,24.68,,,,USD,${today}`);
    expect(lines).toContain(`item,${evil.id},'+cmd|calc,,2,24.68,,,,USD,${today}`);

    // Running the day again replaces its report.
    const again = (await shop.owner.post('/api/v1/reports/daily', { date: today }).expect(202)).body.jobId as string;
    await completed(shop.owner, again);
    const rows = await api.app
      .get(DataSource)
      .query('SELECT COUNT(*) AS n FROM daily_reports WHERE restaurant_id = ?', [shop.cafe.restaurant.id]);
    expect(Number(rows[0].n)).toBe(1);
  });

  it('rebuilds rollups through the reports.rebuild-rollups job, equal to the live ones', async () => {
    const shop = await seedShop(api.app, api.server, { timezone: 'UTC' });
    const { date: today } = await sellNow(shop, [{ menuItemId: shop.cookie.id, quantity: 3 }]);
    const restaurantId = shop.cafe.restaurant.id;
    const rollups = api.app.get(SalesRollupRepository);
    const live = await rollups.rows(trustedTenantScope(restaurantId), today, today);
    expect(live.items).toEqual([expect.objectContaining({ menuItemId: shop.cookie.id, quantity: 3, revenue: 750 })]);
    await api.app.get(DataSource).query('DELETE FROM sales_daily_items WHERE restaurant_id = ?', [restaurantId]);
    const queue = api.app.get(JobQueue);
    const { id: jobId } = await queue.enqueue('reports.rebuild-rollups', { restaurantId, from: today, to: today });
    const job = await eventually(async () => {
      const status = await queue.getJob(jobId);
      return status?.state === 'completed' || status?.state === 'failed' ? status : undefined;
    }, 200);
    expect(job).toMatchObject({ state: 'completed', result: { days: 1, orders: 1 } });
    expect(await rollups.rows(trustedTenantScope(restaurantId), today, today)).toEqual(live);
  });

  itFull('rebuilds rollups from the command line (npm run cli -- reports:rebuild)', async () => {
    const shop = await seedShop(api.app, api.server, { timezone: 'UTC' });
    const { date: today } = await sellNow(shop, [{ menuItemId: shop.cookie.id, quantity: 2 }], { tip: 7 });
    const restaurantId = shop.cafe.restaurant.id;
    const rollups = api.app.get(SalesRollupRepository);
    const live = await rollups.rows(trustedTenantScope(restaurantId), today, today);
    await api.app.get(DataSource).query('DELETE FROM sales_hourly WHERE restaurant_id = ?', [restaurantId]);
    const bad = await runCli(
      ['reports:rebuild', '--restaurant', restaurantId, '--from', today, '--to', '2020-01-01'],
      {},
    );
    expect(bad.code).toBe(1);
    const run = await runCli(['reports:rebuild', '--restaurant', restaurantId, '--from', today, '--to', today], {});
    expect([run.code, run.output]).toEqual([0, expect.stringContaining('"orders":1')]);
    expect(await rollups.rows(trustedTenantScope(restaurantId), today, today)).toEqual(live);
  });

  it('refuses future dates and dates before the restaurant, and hides other restaurants’ jobs', async () => {
    const mine = await signedInCrew(api.app, api.server);
    const theirs = await signedInCrew(api.app, api.server);
    // Local dates as the app computes them (New York): the UTC date is already tomorrow there every evening.
    // Two days ahead: the day after today could become today while the test runs.
    const future = addDays(businessDate(new Date(), mine.cafe.restaurant.timezone), 2);
    for (const date of [future, '2020-01-01', '2026-02-30', 'today']) {
      const res = await mine.owner.post('/api/v1/reports/daily', { date });
      expect([date, res.status]).toEqual([date, 422]);
    }
    const today = businessDate(new Date(), theirs.cafe.restaurant.timezone);
    const { jobId } = (await theirs.owner.post('/api/v1/reports/daily', { date: today }).expect(202)).body;
    expect((await mine.owner.get(`/api/v1/reports/jobs/${jobId}`)).status).toBe(404);
    expect((await mine.owner.get('/api/v1/reports/jobs/not-a-job')).status).toBe(404);
    await completed(theirs.owner, jobId);
    expect((await mine.owner.get(`/api/v1/reports/daily/${today}`)).status).toBe(404);
    expect((await mine.owner.get(`/api/v1/reports/daily/${today}.csv`)).status).toBe(404);
    await theirs.owner.get(`/api/v1/reports/daily/${today}`).expect(200);
  });
});
