import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Connection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { BullMqJobQueue, JOB_OPTIONS, JobQueue } from '@coffee/queue';
import { seedRestaurant, TEST_PASSWORD } from '../factories/restaurant.factory';
import { sellNow } from '../factories/sales.factory';
import { seedShop, type Shop } from '../factories/shop.factory';
import { connectToDatabase } from '../support/database';
import { describeFull, SYSADMIN } from '../support/env';
import { eventually, runCli, spawnApp, type RunningProcess } from '../support/processes';
import { BrowserSession } from '../support/session';
import { startTestApi, type TestApi } from '../support/test-app';

// Spawns and kills worker processes: slow on a loaded 2-core machine.
jest.setTimeout(120_000);

interface ReportJob {
  id: string;
  state: string;
  result?: unknown;
  error?: string;
}

/** One entry of a BullMQ queue's event stream; `at` is when Redis recorded it (the stream id's milliseconds). */
interface QueueEvent {
  at: number;
  event: string;
  jobId?: string;
}

/** Everything BullMQ recorded in a queue's event stream (`<prefix>:<queue>:events`), oldest first. */
async function queueEvents(streamKey: string): Promise<QueueEvent[]> {
  const redis = new Redis(process.env.REDIS_URL ?? '');
  try {
    const entries = await redis.xrange(streamKey, '-', '+');
    return entries.map(([id, fields]) => {
      const values = new Map<string, string>();
      for (let i = 0; i + 1 < fields.length; i += 2) values.set(fields[i], fields[i + 1]);
      return { at: Number(id.split('-')[0]), event: values.get('event') ?? '', jobId: values.get('jobId') };
    });
  } finally {
    redis.disconnect();
  }
}

describeFull('reports.daily in a BullMQ worker process (full mode): job states, SIGKILL mid-job, retries', () => {
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

  /** A shop with one paid cookie (250) today; returns the shop and the sale's business date. */
  async function shopWithASale(): Promise<{ shop: Shop; today: string }> {
    const shop = await seedShop(api.app, api.server, { timezone: 'UTC', currency: 'USD' });
    const { date } = await sellNow(shop, [{ menuItemId: shop.cookie.id, quantity: 1 }]);
    return { shop, today: date };
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

  it('a job that throws is retried with exponential backoff, then shows as failed with its error (API, sysadmin view, jobs:failed)', async () => {
    worker ??= await spawnApp('worker', workerEnv);
    const policy = JOB_OPTIONS['reports.daily'];
    expect(policy.attempts).toBeGreaterThan(1);
    const queue = api.app.get<JobQueue, BullMqJobQueue>(JobQueue);
    expect(queue).toBeInstanceOf(BullMqJobQueue);
    const { restaurant, owner } = await seedRestaurant(api.app, { timezone: 'UTC' });
    const session = await BrowserSession.login(api.server, owner.email, TEST_PASSWORD);
    // A day that does not exist, queued the way the API queues a report (the id ties it to the restaurant)
    // by a producer that skipped the API's checks (a script, another release): the real handler refuses it
    // on every attempt, where it used to store a report for February 30.
    const jobId = `${restaurant.id}_${randomUUID()}`;
    await queue.enqueue('reports.daily', { restaurantId: restaurant.id, date: '2026-02-30' }, { jobId });
    const error = 'reports.daily: "date" is not a date written YYYY-MM-DD: 2026-02-30';

    // Followed through the API until it settled; BullMQ's attempt count beside each look.
    const views: ReportJob[] = [];
    const attemptsMade: number[] = [];
    const last = await eventually(async () => {
      const view = (await session.get(`/api/v1/reports/jobs/${jobId}`).expect(200)).body as ReportJob;
      views.push(view);
      attemptsMade.push((await queue.queue('reports').getJob(jobId))?.attemptsMade ?? 0);
      return view.state === 'failed' || view.state === 'completed' ? view : undefined;
    }, 600);
    expect(last).toEqual({ id: jobId, state: 'failed', error });
    // Between attempts it waits out its backoff as `delayed`, showing the error so far.
    expect(views).toContainEqual({ id: jobId, state: 'delayed', error });
    expect(attemptsMade).toEqual([...attemptsMade].sort((a, b) => a - b));
    expect(attemptsMade.some((n) => n > 0 && n < policy.attempts)).toBe(true);
    expect(attemptsMade.at(-1)).toBe(policy.attempts);

    const stored = await queue.queue('reports').getJob(jobId);
    expect(stored).toMatchObject({
      attemptsMade: policy.attempts,
      failedReason: error,
      opts: { attempts: policy.attempts, backoff: { type: 'exponential', delay: policy.backoffMs } },
    });
    // Every attempt failed in the handler, with its message.
    expect(stored?.stacktrace).toHaveLength(policy.attempts);
    for (const trace of stored?.stacktrace ?? []) expect(trace).toContain(error);

    // BullMQ's event stream holds the whole history: each failure but the last put the job off (`delayed`)
    // instead of running it again at once or failing it.
    const history = (await queueEvents(queue.queue('reports').toKey('events'))).filter(
      (entry) => entry.jobId === jobId && ['active', 'delayed', 'completed', 'failed'].includes(entry.event),
    );
    expect(history.map((entry) => entry.event)).toEqual([
      ...Array.from({ length: policy.attempts - 1 }, () => ['active', 'delayed']).flat(),
      'active',
      'failed',
    ]);
    // Exponential backoff, a lower bound the queue guarantees: attempt n + 1 starts no sooner than
    // backoffMs * 2^(n-1) after attempt n failed, so after attempt n started. (Redis and the worker
    // share this machine's clock.)
    const starts = history.filter((entry) => entry.event === 'active').map((entry) => entry.at);
    for (let n = 1; n < policy.attempts; n++) {
      expect(starts[n] - starts[n - 1]).toBeGreaterThanOrEqual(policy.backoffMs * 2 ** (n - 1));
    }

    const rows = await api.app
      .get(DataSource)
      .query('SELECT COUNT(*) AS n FROM daily_reports WHERE restaurant_id = ?', [restaurant.id]);
    expect(Number(rows[0].n)).toBe(0);

    // Operators see it, with its error and attempts: the sysadmin view and the CLI.
    const finishedOn = new Date(stored?.finishedOn ?? 0).toISOString();
    const sysadmin = await BrowserSession.login(api.server, SYSADMIN.email, SYSADMIN.password);
    const failed = (await sysadmin.get('/api/v1/sysadmin/jobs/failed?queue=reports&limit=100').expect(200)).body;
    expect(failed.items).toContainEqual({
      id: jobId,
      queue: 'reports',
      name: 'reports.daily',
      failedReason: error,
      attemptsMade: policy.attempts,
      finishedOn,
    });
    const cli = await runCli(['jobs:failed', '--queue', 'reports', '--limit', '100'], {
      REDIS_URL: process.env.REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
    });
    expect(cli.code).toBe(0);
    expect(cli.output.split('\n')).toContain(
      [jobId, 'reports.daily', String(policy.attempts), finishedOn, error].join('\t'),
    );
  });
});
