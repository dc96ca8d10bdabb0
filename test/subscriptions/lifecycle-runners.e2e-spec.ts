import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BullMqJobQueue, InProcessJobQueue, JobQueue, RECURRING_JOBS, type JobStatus } from '@coffee/queue';
import { SubscriptionEntity } from '@coffee/subscriptions';
import { seedEndedTrial } from '../factories/subscription.factory';
import { baseEnv, describeFull, FULL_MODE } from '../support/env';
import { eventually, spawnApp, type RunningProcess } from '../support/processes';
import { startTestApi, type TestApi } from '../support/test-app';

const ROOT = join(__dirname, '..', '..');

// Spawns real processes (a worker, the CLI): slow on a loaded 2-core machine.
jest.setTimeout(90_000);

/**
 * Where the lifecycle job runs: in the API process (embedded mode), in the
 * worker through BullMQ (full mode), and once by hand from the CLI. Each test
 * ends a trial of its own restaurant by moving its dates 15 days into the
 * past and runs the job at the real time, which moves nothing of the suites
 * running beside it (their trials end 14 days from now); see
 * lifecycle.e2e-spec.ts for the rules themselves.
 */
describe('subscriptions.lifecycle: the recurring job and where it runs', () => {
  it('is scheduled every 5 minutes on the maintenance queue', () => {
    expect(RECURRING_JOBS).toContainEqual({
      id: 'subscriptions-lifecycle',
      name: 'subscriptions.lifecycle',
      everyMs: 5 * 60 * 1000,
    });
  });

  describe('in-process driver (embedded mode)', () => {
    let api: TestApi;

    beforeAll(async () => {
      api = await startTestApi({ REDIS_URL: undefined });
    });

    afterAll(async () => {
      await api.close();
    });

    it('runs in the API process when enqueued', async () => {
      const queue = api.app.get(JobQueue);
      expect(queue).toBeInstanceOf(InProcessJobQueue);
      const restaurantId = (await seedEndedTrial(api.app, 'pro')).restaurantId;
      const job = await completed(queue, (await queue.enqueue('subscriptions.lifecycle', {})).id);
      expect(job).toMatchObject({
        name: 'subscriptions.lifecycle',
        state: 'completed',
        result: { pastDue: expect.any(Number), canceled: expect.any(Number), renewed: expect.any(Number) },
      });
      expect(await statusOf(api.app, restaurantId)).toBe('past_due');
    });
  });

  describeFull('BullMQ driver (full mode) with the worker app', () => {
    let api: TestApi;
    let worker: RunningProcess;

    beforeAll(async () => {
      worker = await spawnApp('worker', { DB_MIGRATE_ON_START: 'false' });
      api = await startTestApi();
    });

    afterAll(async () => {
      await api?.close();
      await worker?.stop();
    });

    it('the worker keeps the schedule in Redis and runs the job enqueued by the API', async () => {
      const queue = api.app.get(JobQueue);
      expect(queue).toBeInstanceOf(BullMqJobQueue);
      const scheduler = await (queue as BullMqJobQueue).queue('maintenance').getJobScheduler('subscriptions-lifecycle');
      expect(scheduler).toMatchObject({ name: 'subscriptions.lifecycle', every: 5 * 60 * 1000 });

      const restaurantId = (await seedEndedTrial(api.app, 'pro')).restaurantId;
      const { id } = await queue.enqueue('subscriptions.lifecycle', { now: new Date().toISOString() });
      expect(await completed(queue, id)).toMatchObject({ state: 'completed', result: { pastDue: expect.any(Number) } });
      expect(await statusOf(api.app, restaurantId)).toBe('past_due');
    });
  });

  describe('npm run cli -- subscriptions-lifecycle', () => {
    const env = baseEnv();

    it('runs the job once and prints the counts', async () => {
      // Embedded mode: the API must let go of the database file before the CLI opens it.
      let api = await startTestApi({ SQLITE_PATH: env.SQLITE_PATH });
      const restaurantId = (await seedEndedTrial(api.app, 'pro')).restaurantId;
      await api.close();

      const run = await cli(['subscriptions-lifecycle', '--now', new Date().toISOString()], env);
      expect(run).toMatchObject({ code: 0 });
      const counts = JSON.parse(run.stdout.trim().split('\n').pop() ?? '') as Record<string, number>;
      expect(counts).toEqual({
        pastDue: expect.any(Number),
        canceled: expect.any(Number),
        renewed: expect.any(Number),
      });
      // The embedded database is this test's own: ours is the one move.
      if (!FULL_MODE) expect(counts).toEqual({ pastDue: 1, canceled: 0, renewed: 0 });

      api = await startTestApi({ SQLITE_PATH: env.SQLITE_PATH });
      try {
        expect(await statusOf(api.app, restaurantId)).toBe('past_due');
      } finally {
        await api.close();
      }
    });

    it('refuses a --now that is not a date with exit code 1', async () => {
      const run = await cli(['subscriptions-lifecycle', '--now', 'next tuesday'], env);
      expect(run.code).toBe(1);
      expect(run.output).toContain('--now must be an ISO 8601 date');
    });
  });
});

async function statusOf(app: INestApplication, restaurantId: string): Promise<string> {
  return (await app.get(DataSource).getRepository(SubscriptionEntity).findOneByOrFail({ restaurantId })).status;
}

async function completed(queue: JobQueue, id: string): Promise<JobStatus> {
  return eventually(async () => {
    const job = await queue.getJob(id);
    return job?.state === 'completed' || job?.state === 'failed' ? job : undefined;
  }, 150);
}

function cli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'apps', 'cli', 'src', 'main.js'), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, output }));
  });
}
