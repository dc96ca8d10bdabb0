import { randomUUID } from 'node:crypto';
import { DataSource, type Repository } from 'typeorm';
import { redisConfigFrom, validateEnvironment } from '@coffee/config';
import { IdempotencyKeyEntity } from '@coffee/idempotency';
import { BullMqJobQueue, InProcessJobQueue, JobQueue, type JobStatus } from '@coffee/queue';
import { seedRestaurant } from '../factories/restaurant.factory';
import { describeFull } from '../support/env';
import { eventually, spawnApp, type RunningProcess } from '../support/processes';
import { TcpProxy } from '../support/tcp-proxy';
import { startTestApi, type TestApi } from '../support/test-app';

const DAY = 24 * 3600 * 1000;

async function seedKeys(keys: Repository<IdempotencyKeyEntity>, restaurantId: string): Promise<void> {
  const base = {
    restaurantId,
    requestHash: 'a'.repeat(64),
    status: 'completed' as const,
    responseStatus: 201,
    responseBody: '{}',
  };
  await keys.insert([
    { ...base, id: randomUUID(), key: 'expired-key-1', expiresAt: new Date(Date.now() - DAY) },
    { ...base, id: randomUUID(), key: 'expired-key-2', expiresAt: new Date(Date.now() - 1000) },
    { ...base, id: randomUUID(), key: 'fresh-key-123', expiresAt: new Date(Date.now() + DAY) },
  ]);
}

async function remainingKeys(keys: Repository<IdempotencyKeyEntity>, restaurantId: string): Promise<string[]> {
  const rows = await keys.find({ where: { restaurantId }, order: { key: 'ASC' } });
  return rows.map((row) => row.key);
}

/** Seeds two expired keys and a fresh one in a new restaurant, runs the purge job through `queue`, and checks what is left. */
async function expectPurgeThrough(api: TestApi, queue: JobQueue): Promise<JobStatus> {
  const keys = api.app.get(DataSource).getRepository(IdempotencyKeyEntity);
  const restaurantId = (await seedRestaurant(api.app)).restaurant.id;
  await seedKeys(keys, restaurantId);
  const { id } = await queue.enqueue('maintenance.purge-expired', {});
  const job = await completed(queue, id);
  expect(job).toMatchObject({ id, name: 'maintenance.purge-expired', state: 'completed' });
  expect(await remainingKeys(keys, restaurantId)).toEqual(['fresh-key-123']);
  return job;
}

async function completed(queue: JobQueue, id: string): Promise<JobStatus> {
  return eventually(async () => {
    const job = await queue.getJob(id);
    return job?.state === 'completed' || job?.state === 'failed' ? job : undefined;
  }, 150);
}

describe('background jobs: the purge-expired maintenance job through each driver', () => {
  describe('in-process driver (embedded mode)', () => {
    let api: TestApi;

    beforeAll(async () => {
      api = await startTestApi({ REDIS_URL: undefined });
    });

    afterAll(async () => {
      await api.close();
    });

    it('processes the job in the API process, purging only expired keys', async () => {
      const queue = api.app.get(JobQueue);
      expect(queue).toBeInstanceOf(InProcessJobQueue);
      const job = await expectPurgeThrough(api, queue);
      expect((job.result as { purged: number }).purged).toBeGreaterThanOrEqual(2);
      await expect(queue.getJob('no-such-job')).resolves.toBeNull();
    });

    it('is idempotent: running it again changes nothing', async () => {
      const queue = api.app.get(JobQueue);
      const keys = api.app.get(DataSource).getRepository(IdempotencyKeyEntity);
      const restaurantId = (await seedRestaurant(api.app)).restaurant.id;
      await seedKeys(keys, restaurantId);
      await completed(queue, (await queue.enqueue('maintenance.purge-expired', {})).id);
      const second = await completed(queue, (await queue.enqueue('maintenance.purge-expired', {})).id);
      expect(second.state).toBe('completed');
      expect(await remainingKeys(keys, restaurantId)).toEqual(['fresh-key-123']);
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

    it('enqueues from the API into Redis and the worker process runs it', async () => {
      const queue = api.app.get(JobQueue);
      expect(queue).toBeInstanceOf(BullMqJobQueue);
      await expectPurgeThrough(api, queue);
    });

    it('serves its own liveness and readiness', async () => {
      expect((await fetch(`${worker.url}/health/live`)).status).toBe(200);
      const ready = await fetch(`${worker.url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ details: { database: { status: 'up' }, redis: { status: 'up' } } });
    });

    it('a queue whose start-up check timed out is opened again: enqueueing works once Redis answers, without a restart', async () => {
      const redis = new URL(process.env.REDIS_URL ?? '');
      const proxy = new TcpProxy(redis.hostname, Number(redis.port));
      await proxy.start();
      proxy.hold();
      // Its own prefix: the worker above never takes these jobs.
      const queue = new BullMqJobQueue(
        redisConfigFrom(
          validateEnvironment({
            REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
            REDIS_KEY_PREFIX: `stall-${randomUUID()}`,
          }),
        ),
      );
      try {
        // BullMQ's version check on the new queue gets no answer within the 1 s command timeout.
        await expect(queue.enqueue('maintenance.purge-expired', {})).rejects.toMatchObject({
          code: 'SERVICE_UNAVAILABLE',
        });
        proxy.release();
        const { id } = await eventually(() => queue.enqueue('maintenance.purge-expired', {}));
        expect(await queue.getJob(id)).toMatchObject({ id, state: 'waiting' });
      } finally {
        await queue.onApplicationShutdown();
        await proxy.cut();
      }
    });

    it('exits 0 on SIGTERM after closing its workers', async () => {
      worker.child.kill('SIGTERM');
      const { code } = await worker.exited;
      expect(code).toBe(0);
    });
  });
});
