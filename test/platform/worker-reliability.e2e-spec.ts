import { randomBytes, randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { RefreshTokenEntity } from '@coffee/auth';
import {
  BullMqJobQueue,
  InProcessJobQueue,
  JOB_OPTIONS,
  JobQueue,
  RECURRING_JOBS,
  type JobStatus,
} from '@coffee/queue';
import { periodEndFrom, SubscriptionEntity } from '@coffee/subscriptions';
import { seedRestaurant, TEST_PASSWORD } from '../factories/restaurant.factory';
import { seedEndedTrial } from '../factories/subscription.factory';
import { connectToDatabase } from '../support/database';
import { baseEnv, describeFull, SYSADMIN } from '../support/env';
import { eventually, runCli, spawnApp, type RunningProcess } from '../support/processes';
import { BrowserSession } from '../support/session';
import { TcpProxy } from '../support/tcp-proxy';
import { startTestApi, type TestApi } from '../support/test-app';

const DAY = 24 * 3600 * 1000;

// Spawns and kills worker processes: slow on a loaded 2-core machine.
jest.setTimeout(120_000);

async function settled(queue: JobQueue, id: string): Promise<JobStatus> {
  return eventually(async () => {
    const job = await queue.getJob(id);
    return job?.state === 'completed' || job?.state === 'failed' ? job : undefined;
  }, 300);
}

/** The renewal happened exactly once: the next period starts where the ended one ended. */
async function expectRenewedOnce(app: INestApplication, ended: SubscriptionEntity): Promise<void> {
  const now = await app.get(DataSource).getRepository(SubscriptionEntity).findOneByOrFail({ id: ended.id });
  expect(now.status).toBe('active');
  expect(now.currentPeriodStart.toISOString()).toBe(ended.currentPeriodEnd.toISOString());
  expect(now.currentPeriodEnd.toISOString()).toBe(periodEndFrom(ended.currentPeriodEnd).toISOString());
}

describe('worker reliability: retry policy, failed jobs, maintenance', () => {
  it('every job has an explicit retry policy, and refresh tokens are purged hourly', () => {
    for (const policy of Object.values(JOB_OPTIONS)) {
      expect(policy.attempts).toBeGreaterThanOrEqual(1);
      expect(policy.backoffMs).toBeGreaterThan(0);
      expect(policy.removeOnFail.count).toBeGreaterThan(0);
      expect(policy.removeOnComplete.ageSeconds).toBeGreaterThan(0);
    }
    expect(RECURRING_JOBS).toContainEqual({
      id: 'purge-refresh-tokens',
      name: 'maintenance.purge-refresh-tokens',
      everyMs: 60 * 60 * 1000,
    });
  });

  describe('in-process driver (embedded mode)', () => {
    let api: TestApi;
    let sysadmin: BrowserSession;

    beforeAll(async () => {
      api = await startTestApi({ REDIS_URL: undefined });
      sysadmin = await BrowserSession.login(api.server, SYSADMIN.email, SYSADMIN.password);
    });

    afterAll(async () => {
      await api?.close();
    });

    it('maintenance.purge-refresh-tokens deletes expired tokens (rotated, revoked or not) and keeps live ones, twice alike', async () => {
      const queue = api.app.get(JobQueue);
      expect(queue).toBeInstanceOf(InProcessJobQueue);
      const { owner } = await seedRestaurant(api.app);
      const tokens = api.app.get(DataSource).getRepository(RefreshTokenEntity);
      const familyId = randomUUID();
      const token = (label: string, expiresIn: number, extra: Partial<RefreshTokenEntity> = {}) =>
        tokens.create({
          familyId,
          userId: owner.id,
          tokenHash: `${label.padEnd(8, '-')}${randomBytes(28).toString('hex')}`,
          expiresAt: new Date(Date.now() + expiresIn),
          rotatedAt: null,
          revokedAt: null,
          ...extra,
        });
      const hour = 3600 * 1000;
      await tokens.save([
        token('expired', -hour),
        token('rotated', -DAY, { rotatedAt: new Date(Date.now() - 8 * DAY) }),
        token('revoked', -1000, { revokedAt: new Date(Date.now() - DAY) }),
        token('live', DAY),
        token('livrevok', DAY, { revokedAt: new Date() }),
      ]);
      const left = async () =>
        (await tokens.find({ where: { userId: owner.id } })).map((row) => row.tokenHash.slice(0, 8)).sort();

      const first = await settled(queue, (await queue.enqueue('maintenance.purge-refresh-tokens', {})).id);
      expect(first).toMatchObject({ state: 'completed', result: { purged: expect.any(Number) } });
      expect((first.result as { purged: number }).purged).toBeGreaterThanOrEqual(3);
      expect(await left()).toEqual(['live----', 'livrevok']);

      const second = await settled(queue, (await queue.enqueue('maintenance.purge-refresh-tokens', {})).id);
      expect(second.state).toBe('completed');
      expect(await left()).toEqual(['live----', 'livrevok']);
    });

    it('GET /sysadmin/jobs/failed lists a job that used up its attempts, for sysadmins only', async () => {
      const queue = api.app.get(JobQueue);
      const { id } = await queue.enqueue('subscriptions.lifecycle', { now: 'not a date' }, { attempts: 2 });
      expect(await settled(queue, id)).toMatchObject({ state: 'failed' });

      const res = await sysadmin.get('/api/v1/sysadmin/jobs/failed?limit=100').expect(200);
      expect(res.body.meta).toMatchObject({ limit: 100, offset: 0, total: expect.any(Number), nextCursor: null });
      const listed = (res.body.items as { id: string }[]).find((job) => job.id === id);
      expect(listed).toEqual({
        id,
        queue: 'maintenance',
        name: 'subscriptions.lifecycle',
        failedReason: expect.stringContaining('"now" is not a date'),
        attemptsMade: 2,
        finishedOn: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
      const reports = await sysadmin.get('/api/v1/sysadmin/jobs/failed?queue=reports').expect(200);
      expect(reports.body).toEqual({
        items: [],
        meta: { limit: 20, offset: 0, total: 0, hasMore: false, nextCursor: null },
      });

      const invalid = await sysadmin.get('/api/v1/sysadmin/jobs/failed?queue=nope&limit=101').expect(422);
      expect(invalid.body.code).toBe('VALIDATION_FAILED');
      const cafe = await seedRestaurant(api.app);
      const owner = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
      await owner.get('/api/v1/sysadmin/jobs/failed').expect(403);
      await request(api.server).get('/api/v1/sysadmin/jobs/failed').expect(401);
    });

    it('jobs:failed (CLI) needs full mode and checks its options', async () => {
      const embedded = await runCli(['jobs:failed'], { ...baseEnv(), REDIS_URL: undefined });
      expect(embedded.code).toBe(1);
      expect(embedded.output).toContain('GET /api/v1/sysadmin/jobs/failed');
      const badQueue = await runCli(['jobs:failed', '--queue', 'nope'], { ...baseEnv(), REDIS_URL: undefined });
      expect(badQueue.code).toBe(1);
      expect(badQueue.output).toContain('--queue must be one of maintenance, reports');
    });
  });

  describeFull('BullMQ worker process (full mode): failures, Redis outage, SIGKILL and SIGTERM mid-job', () => {
    // A key prefix of this suite's own: no other suite's worker takes these jobs.
    const prefix = `wr-${randomBytes(4).toString('hex')}`;
    let redis: TcpProxy;
    let api: TestApi;
    let worker: RunningProcess;
    let workerEnv: Record<string, string>;

    beforeAll(async () => {
      const target = new URL(process.env.REDIS_URL ?? '');
      redis = new TcpProxy(target.hostname, Number(target.port));
      await redis.start();
      const proxied = new URL(target.toString());
      proxied.hostname = '127.0.0.1';
      proxied.port = String(redis.port);
      workerEnv = {
        DB_MIGRATE_ON_START: 'false',
        REDIS_URL: proxied.toString(),
        REDIS_KEY_PREFIX: prefix,
        // Short claims, so a killed worker's job runs again within seconds.
        WORKER_LOCK_DURATION_MS: '2000',
        WORKER_STALLED_INTERVAL_MS: '1000',
      };
      worker = await spawnApp('worker', workerEnv);
      api = await startTestApi({ REDIS_KEY_PREFIX: prefix });
    });

    afterAll(async () => {
      await api?.close();
      await worker?.stop();
      await redis?.cut();
    });

    const metrics = async (): Promise<string> => (await fetch(`${worker.url}/metrics`)).text();

    it('a job that used up its attempts: in the sysadmin view, in jobs:failed, and on the worker /metrics', async () => {
      const queue = api.app.get(JobQueue);
      expect(queue).toBeInstanceOf(BullMqJobQueue);
      // The worker saved the recurring schedules with each job's policy.
      const scheduler = await (queue as BullMqJobQueue).queue('maintenance').getJobScheduler('purge-refresh-tokens');
      expect(scheduler).toMatchObject({
        name: 'maintenance.purge-refresh-tokens',
        every: 60 * 60 * 1000,
        template: {
          opts: {
            attempts: JOB_OPTIONS['maintenance.purge-refresh-tokens'].attempts,
            backoff: { type: 'exponential', delay: JOB_OPTIONS['maintenance.purge-refresh-tokens'].backoffMs },
          },
        },
      });
      const { id } = await queue.enqueue('subscriptions.lifecycle', { now: 'not a date' }, { attempts: 1 });
      expect(await settled(queue, id)).toMatchObject({ state: 'failed' });

      const sysadmin = await BrowserSession.login(api.server, SYSADMIN.email, SYSADMIN.password);
      const res = await sysadmin.get('/api/v1/sysadmin/jobs/failed?queue=maintenance').expect(200);
      expect(res.body.items).toContainEqual({
        id,
        queue: 'maintenance',
        name: 'subscriptions.lifecycle',
        failedReason: expect.stringContaining('"now" is not a date'),
        attemptsMade: 1,
        finishedOn: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });

      const cli = await runCli(['jobs:failed', '--queue', 'maintenance', '--limit', '5'], {
        REDIS_URL: process.env.REDIS_URL,
        REDIS_KEY_PREFIX: prefix,
      });
      expect(cli.code).toBe(0);
      expect(cli.output).toMatch(
        new RegExp(`^${id}\\tsubscriptions\\.lifecycle\\t1\\t\\d{4}-.*"now" is not a date`, 'm'),
      );

      const body = await eventually(async () => {
        const text = await metrics();
        return /jobs_failed_total\{queue="maintenance",name="subscriptions.lifecycle"\} 1/.test(text)
          ? text
          : undefined;
      });
      expect(body).toMatch(
        /job_duration_seconds_count\{queue="maintenance",name="subscriptions.lifecycle",status="failed"\} 1/,
      );
      expect(body).toMatch(/queue_jobs\{queue="maintenance",state="failed"\} 1/);
      expect(body).toMatch(/queue_depth\{queue="maintenance"\} \d+/);
    });

    it('outlives a Redis outage: after Redis is back the same process runs a newly enqueued job', async () => {
      const pid = worker.child.pid;
      await redis.cut();
      await eventually(async () => ((await fetch(`${worker.url}/health/ready`)).status === 503 ? true : undefined));
      await redis.restore();
      await eventually(
        async () => ((await fetch(`${worker.url}/health/ready`)).status === 200 ? true : undefined),
        150,
      );

      const queue = api.app.get(JobQueue);
      const ended = await seedEndedTrial(api.app, 'free');
      const { id } = await queue.enqueue('subscriptions.lifecycle', {});
      const job = await settled(queue, id);
      expect(job.state).toBe('completed');
      // Enqueued with the job's own policy.
      const stored = await (queue as BullMqJobQueue).queue('maintenance').getJob(id);
      expect(stored?.opts).toMatchObject({
        attempts: JOB_OPTIONS['subscriptions.lifecycle'].attempts,
        backoff: { type: 'exponential', delay: JOB_OPTIONS['subscriptions.lifecycle'].backoffMs },
        removeOnFail: { count: 1000, age: 7 * 24 * 3600 },
      });
      await expectRenewedOnce(api.app, ended);
      expect(worker.child.pid).toBe(pid);
      expect(worker.child.exitCode).toBeNull();
      expect(await metrics()).toMatch(
        /job_duration_seconds_count\{queue="maintenance",name="subscriptions.lifecycle",status="completed"\} [1-9]/,
      );
    });

    /** Enqueues the lifecycle job while the test holds the subscription row, and waits until the job waits for it. */
    async function jobWaitingOnRow(
      db: Awaited<ReturnType<typeof connectToDatabase>>,
      ended: SubscriptionEntity,
    ): Promise<string> {
      await db.query('START TRANSACTION');
      await db.query('SELECT id FROM subscriptions WHERE id = ? FOR UPDATE', [ended.id]);
      const queue = api.app.get(JobQueue);
      const { id } = await queue.enqueue('subscriptions.lifecycle', {});
      await eventually(async () => {
        const [rows] = await db.query(
          "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE COMMAND = 'Query' AND INFO LIKE ?",
          [`UPDATE%subscriptions%${ended.id}%`],
        );
        return Number((rows as { n: number }[])[0]?.n) >= 1 && (await queue.getJob(id))?.state === 'active'
          ? true
          : undefined;
      }, 300);
      return id;
    }

    it('killed with SIGKILL mid-job: after a restart the job runs again and its effect exists once', async () => {
      const ended = await seedEndedTrial(api.app, 'free');
      const db = await connectToDatabase();
      try {
        const id = await jobWaitingOnRow(db, ended);
        worker.child.kill('SIGKILL');
        expect((await worker.exited).signal).toBe('SIGKILL');
        await db.query('ROLLBACK');

        worker = await spawnApp('worker', workerEnv);
        // Its claim expires (WORKER_LOCK_DURATION_MS), the stalled-job check requeues it, the new process runs it.
        expect(await settled(api.app.get(JobQueue), id)).toMatchObject({ state: 'completed' });
        await expectRenewedOnce(api.app, ended);
      } finally {
        await db.query('ROLLBACK').catch(() => undefined);
        await db.end();
      }
    });

    it('on SIGTERM mid-job: takes no new work, lets the running job finish, then exits 0', async () => {
      const ended = await seedEndedTrial(api.app, 'free');
      const db = await connectToDatabase();
      try {
        const id = await jobWaitingOnRow(db, ended);
        worker.child.kill('SIGTERM');
        // Shutdown has begun (readiness 503), and the job is still running in the live process.
        await eventually(async () => ((await fetch(`${worker.url}/health/ready`)).status === 503 ? true : undefined));
        expect(worker.child.exitCode).toBeNull();
        expect((await api.app.get(JobQueue).getJob(id))?.state).toBe('active');
        await db.query('ROLLBACK');

        const { code, signal } = await worker.exited;
        expect(signal).toBeNull();
        expect(code).toBe(0);
        expect(await api.app.get(JobQueue).getJob(id)).toMatchObject({ state: 'completed' });
        await expectRenewedOnce(api.app, ended);
      } finally {
        await db.query('ROLLBACK').catch(() => undefined);
        await db.end();
      }
    });
  });
});
