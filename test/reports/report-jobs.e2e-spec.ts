import { randomBytes } from 'node:crypto';
import type { Connection } from 'mysql2/promise';
import { BullMqJobQueue, JobQueue } from '@coffee/queue';
import { place, seedShop, type Shop } from '../factories/shop.factory';
import { connectToDatabase } from '../support/database';
import { describeFull } from '../support/env';
import { eventually, spawnApp, type RunningProcess } from '../support/processes';
import type { BrowserSession } from '../support/session';
import { startTestApi, type TestApi } from '../support/test-app';

// Spawns and kills worker processes: slow on a loaded 2-core machine.
jest.setTimeout(120_000);

interface ReportJob {
  id: string;
  state: string;
  result?: unknown;
}

describeFull('reports.daily in a BullMQ worker process (full mode): job states, SIGKILL mid-job', () => {
  // A key prefix of this suite's own: no other suite's worker takes these jobs.
  const prefix = `rj-${randomBytes(4).toString('hex')}`;
  const workerEnv = {
    DB_MIGRATE_ON_START: 'false',
    REDIS_KEY_PREFIX: prefix,
    // Short claims, so a killed worker's job runs again within seconds.
    WORKER_LOCK_DURATION_MS: '2000',
    WORKER_STALLED_INTERVAL_MS: '1000',
  };
  let api: TestApi;
  let worker: RunningProcess | undefined;

  beforeAll(async () => {
    // No worker yet: the first test sees its job wait for one.
    api = await startTestApi({ REDIS_KEY_PREFIX: prefix });
  });

  afterAll(async () => {
    await api?.close();
    await worker?.stop();
  });

  /** The job as `GET /reports/jobs/:jobId` shows it, once it is in `state`. */
  const inState = (session: BrowserSession, jobId: string, state: string): Promise<ReportJob> =>
    eventually(async () => {
      const job = (await session.get(`/api/v1/reports/jobs/${jobId}`).expect(200)).body as ReportJob;
      if (job.state === 'failed') throw new Error(`job ${jobId} failed: ${JSON.stringify(job)}`);
      return job.state === state ? job : undefined;
    }, 300);

  /** A UTC shop with one paid cookie (250) today; returns the shop and today's date. */
  async function shopWithASale(): Promise<{ shop: Shop; today: string }> {
    const shop = await seedShop(api.app, api.server, { timezone: 'UTC', currency: 'USD' });
    const id = (
      await place(shop.staff, { type: 'takeaway', items: [{ menuItemId: shop.cookie.id, quantity: 1 }] }).expect(201)
    ).body.id as string;
    for (const status of ['preparing', 'ready'])
      await shop.staff.post(`/api/v1/orders/${id}/status`, { status }).expect(200);
    await shop.staff.post(`/api/v1/orders/${id}/status`, { status: 'paid', paymentMethod: 'cash' }).expect(200);
    return { shop, today: new Date().toISOString().slice(0, 10) };
  }

  /**
   * Inserts the day's report row in an open transaction of the test's own: the job's upsert of the
   * same key waits on that row lock until the test rolls back.
   */
  async function holdReportRow(db: Connection, restaurantId: string, date: string): Promise<void> {
    await db.query('START TRANSACTION');
    await db.query(
      "INSERT INTO daily_reports (restaurant_id, business_date, currency, report, generated_at) VALUES (?, ?, 'USD', '{}', NOW(6))",
      [restaurantId, date],
    );
  }

  /** The job is `active` and its upsert waits on the held row. */
  async function blockedOnRow(
    db: Connection,
    session: BrowserSession,
    jobId: string,
    restaurantId: string,
  ): Promise<void> {
    await eventually(async () => {
      const [rows] = await db.query(
        "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE COMMAND = 'Query' AND INFO LIKE ?",
        [`INSERT%daily_reports%${restaurantId}%`],
      );
      return Number((rows as { n: number }[])[0]?.n) >= 1 ? true : undefined;
    }, 300);
    await inState(session, jobId, 'active');
  }

  it('GET /reports/jobs/:jobId shows waiting, then active while the handler waits on a row, then completed with the result', async () => {
    expect(api.app.get(JobQueue)).toBeInstanceOf(BullMqJobQueue);
    const { shop, today } = await shopWithASale();
    const restaurantId = shop.cafe.restaurant.id;
    const { jobId } = (await shop.owner.post('/api/v1/reports/daily', { date: today }).expect(202)).body as {
      jobId: string;
    };
    expect(await inState(shop.owner, jobId, 'waiting')).toEqual({ id: jobId, state: 'waiting' });

    const db = await connectToDatabase();
    try {
      await holdReportRow(db, restaurantId, today);
      worker = await spawnApp('worker', workerEnv);
      await blockedOnRow(db, shop.owner, jobId, restaurantId);
      expect((await shop.owner.get(`/api/v1/reports/jobs/${jobId}`).expect(200)).body).toEqual({
        id: jobId,
        state: 'active',
      });
      await db.query('ROLLBACK');

      expect(await inState(shop.owner, jobId, 'completed')).toEqual({
        id: jobId,
        state: 'completed',
        result: { date: today, orders: 1, revenue: 250 },
      });
      const report = (await shop.owner.get(`/api/v1/reports/daily/${today}`).expect(200)).body;
      expect(report).toMatchObject({ date: today, currency: 'USD', orders: 1, revenue: 250 });
    } finally {
      await db.query('ROLLBACK').catch(() => undefined);
      await db.end();
    }
  });

  it('killed with SIGKILL mid-job: a new worker completes the job and the day has exactly one report', async () => {
    worker ??= await spawnApp('worker', workerEnv);
    const { shop, today } = await shopWithASale();
    const restaurantId = shop.cafe.restaurant.id;
    const db = await connectToDatabase();
    try {
      await holdReportRow(db, restaurantId, today);
      const { jobId } = (await shop.owner.post('/api/v1/reports/daily', { date: today }).expect(202)).body as {
        jobId: string;
      };
      await blockedOnRow(db, shop.owner, jobId, restaurantId);

      worker.child.kill('SIGKILL');
      expect((await worker.exited).signal).toBe('SIGKILL');
      await db.query('ROLLBACK');

      worker = await spawnApp('worker', workerEnv);
      // Its claim expires (WORKER_LOCK_DURATION_MS), the stalled-job check requeues it, the new process runs it.
      expect(await inState(shop.owner, jobId, 'completed')).toEqual({
        id: jobId,
        state: 'completed',
        result: { date: today, orders: 1, revenue: 250 },
      });
      const [rows] = await db.query(
        'SELECT COUNT(*) AS n FROM daily_reports WHERE restaurant_id = ? AND business_date = ?',
        [restaurantId, today],
      );
      expect(Number((rows as { n: number }[])[0]?.n)).toBe(1);
      const report = (await shop.owner.get(`/api/v1/reports/daily/${today}`).expect(200)).body;
      expect(report).toMatchObject({ date: today, currency: 'USD', orders: 1, revenue: 250 });
    } finally {
      await db.query('ROLLBACK').catch(() => undefined);
      await db.end();
    }
  });
});
