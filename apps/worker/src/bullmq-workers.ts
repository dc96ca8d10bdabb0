import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { Worker } from 'bullmq';
import { appConfig, redisConfig, type AppConfig, type RedisConfig } from '@coffee/config';
import { bullmqTelemetry, reportJobFailure } from '@coffee/observability';
import {
  bullJobOptions,
  BullMqJobQueue,
  JOB_QUEUE,
  JobHandlerRegistry,
  JobQueue,
  QUEUES,
  RECURRING_JOBS,
  restaurantIdOf,
  type JobName,
} from '@coffee/queue';
import { createRedisClient, WORKER_OPTIONS, type RedisClient } from '@coffee/redis';
import { JobMetrics } from './job-metrics';

const SCHEDULE_ATTEMPTS = 8;

/**
 * One BullMQ worker per queue, dispatching each job to its `@HandlesJob`
 * handler, and the recurring maintenance schedules. A job whose worker dies is
 * retried by BullMQ once its lock expires (WORKER_LOCK_DURATION_MS) at the next
 * stalled-job check (WORKER_STALLED_INTERVAL_MS); handlers are idempotent.
 */
@Injectable()
export class BullMqWorkers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(BullMqWorkers.name);
  private readonly workers: Worker[] = [];
  private readonly connections: RedisClient[] = [];

  constructor(
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    @Inject(redisConfig.KEY) private readonly redis: RedisConfig,
    private readonly registry: JobHandlerRegistry,
    private readonly queue: JobQueue,
    private readonly metrics: JobMetrics,
  ) {}

  get running(): boolean {
    return this.workers.length > 0 && this.workers.every((worker) => worker.isRunning());
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.redis.enabled || !(this.queue instanceof BullMqJobQueue)) {
      throw new Error('The worker needs Redis; in embedded mode the API runs jobs itself');
    }
    for (const name of QUEUES) {
      const connection = createRedisClient(this.redis, WORKER_OPTIONS);
      this.connections.push(connection);
      const worker = new Worker(
        name,
        (job) =>
          this.metrics.time(name, job.name, () =>
            this.registry.run(job.name as JobName, job.data as never, {
              jobId: job.id ?? '',
              attempt: job.attemptsMade + 1,
            }),
          ),
        {
          // maxRetriesPerRequest: null (WORKER_OPTIONS): BullMQ blocks on this
          // connection and must outlive a Redis restart without a process restart.
          connection,
          // A hash tag in cluster mode (`{coffee:bull}`): every key of every queue in one slot.
          prefix: this.redis.queuePrefix,
          concurrency: this.app.workerConcurrency,
          lockDuration: this.app.workerLockDurationMs,
          stalledInterval: this.app.workerStalledIntervalMs,
          // A job whose worker died runs again once; a job that kills its worker twice fails.
          maxStalledCount: 1,
          telemetry: bullmqTelemetry(),
        },
      );
      worker.on('failed', (job, error) => {
        const final = job !== undefined && job.attemptsMade >= (job.opts.attempts ?? 1);
        if (job && final) {
          this.metrics.failedForGood(name, job.name);
          reportJobFailure(error, {
            queue: name,
            name: job.name,
            id: job.id ?? '',
            attempts: job.attemptsMade,
            restaurantId: restaurantIdOf(job.data),
          });
        }
        this.logger.warn(
          { err: error, jobId: job?.id, job: job?.name, attempt: job?.attemptsMade, final },
          final ? 'Job failed; no attempts left' : 'Job attempt failed; retrying with backoff',
        );
      });
      worker.on('error', (error) => this.logger.error({ err: error, queue: name }, 'Worker error'));
      this.workers.push(worker);
    }
    await this.scheduleRecurringJobs(this.queue);
    await this.enqueueStartJobs(this.queue);
    this.logger.log({ queues: QUEUES }, 'Worker processing queues');
  }

  /**
   * The recurring jobs that also run when a worker starts (a new release's
   * first work). Several workers starting together each enqueue one: those
   * jobs are idempotent. A failure only delays the job to its next tick.
   */
  private async enqueueStartJobs(queue: BullMqJobQueue): Promise<void> {
    for (const recurring of RECURRING_JOBS.filter((job) => job.atStart)) {
      try {
        await queue.enqueue(recurring.name, {});
      } catch (error) {
        this.logger.warn(
          { err: error, job: recurring.name },
          'Could not enqueue a start-up job; it runs at its next tick',
        );
      }
    }
  }

  /**
   * Upserts the recurring schedules (idempotent: the same id is one schedule).
   * The producer connection fails fast (1 s command timeout), which a loaded
   * Redis can exceed at boot; a few retries with backoff keep one slow reply
   * from failing the worker's start.
   */
  private async scheduleRecurringJobs(queue: BullMqJobQueue): Promise<void> {
    for (const recurring of RECURRING_JOBS) {
      for (let attempt = 1; ; attempt++) {
        try {
          await queue
            .queue(JOB_QUEUE[recurring.name])
            .upsertJobScheduler(
              recurring.id,
              { every: recurring.everyMs },
              { name: recurring.name, data: {}, opts: bullJobOptions(recurring.name) },
            );
          break;
        } catch (error) {
          if (attempt >= SCHEDULE_ATTEMPTS) throw error;
          this.logger.warn({ err: error, schedule: recurring.id, attempt }, 'Could not save a recurring job; retrying');
          await new Promise((resolve) => setTimeout(resolve, Math.min(200 * 2 ** attempt, 5_000)));
        }
      }
    }
  }

  /**
   * Waits for jobs in progress (SIGTERM), so a rolling update loses nothing:
   * `close()` takes no new job and resolves once the running ones finished.
   * Runs before the database and Redis clients close (onApplicationShutdown).
   */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.allSettled(this.workers.map((worker) => worker.close()));
    // BullMQ leaves a connection it was given open.
    await Promise.allSettled(this.connections.map((connection) => connection.quit()));
  }
}
