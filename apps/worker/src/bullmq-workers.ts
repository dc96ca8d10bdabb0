import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { Worker } from 'bullmq';
import { appConfig, redisConfig, type AppConfig, type RedisConfig } from '@coffee/config';
import {
  BullMqJobQueue,
  JOB_QUEUE,
  JobHandlerRegistry,
  JobQueue,
  QUEUES,
  RECURRING_JOBS,
  type JobName,
} from '@coffee/queue';
import { createRedisClient, WORKER_OPTIONS } from '@coffee/redis';

const SCHEDULE_ATTEMPTS = 8;

/**
 * One BullMQ worker per queue, dispatching each job to its `@HandlesJob`
 * handler, and the recurring maintenance schedules. A job whose worker dies is
 * retried by BullMQ once its lock expires; handlers are idempotent.
 */
@Injectable()
export class BullMqWorkers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(BullMqWorkers.name);
  private readonly workers: Worker[] = [];

  constructor(
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    @Inject(redisConfig.KEY) private readonly redis: RedisConfig,
    private readonly registry: JobHandlerRegistry,
    private readonly queue: JobQueue,
  ) {}

  get running(): boolean {
    return this.workers.length > 0 && this.workers.every((worker) => worker.isRunning());
  }

  async onApplicationBootstrap(): Promise<void> {
    const { url, keyPrefix } = this.redis;
    if (!url || !(this.queue instanceof BullMqJobQueue)) {
      throw new Error('The worker needs REDIS_URL; in embedded mode the API runs jobs itself');
    }
    for (const name of QUEUES) {
      const worker = new Worker(
        name,
        (job) =>
          this.registry.run(job.name as JobName, job.data as never, {
            jobId: job.id ?? '',
            attempt: job.attemptsMade + 1,
          }),
        {
          connection: createRedisClient(url, WORKER_OPTIONS),
          prefix: `${keyPrefix}:bull`,
          concurrency: this.app.workerConcurrency,
        },
      );
      worker.on('failed', (job, error) =>
        this.logger.warn(
          { err: error, jobId: job?.id, job: job?.name, attempt: job?.attemptsMade },
          'Job attempt failed',
        ),
      );
      worker.on('error', (error) => this.logger.error({ err: error, queue: name }, 'Worker error'));
      this.workers.push(worker);
    }
    await this.scheduleRecurringJobs(this.queue);
    this.logger.log({ queues: QUEUES }, 'Worker processing queues');
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
            .upsertJobScheduler(recurring.id, { every: recurring.everyMs }, { name: recurring.name, data: {} });
          break;
        } catch (error) {
          if (attempt >= SCHEDULE_ATTEMPTS) throw error;
          this.logger.warn({ err: error, schedule: recurring.id, attempt }, 'Could not save a recurring job; retrying');
          await new Promise((resolve) => setTimeout(resolve, Math.min(200 * 2 ** attempt, 5_000)));
        }
      }
    }
  }

  /** Waits for jobs in progress, so a rolling update loses nothing. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.allSettled(this.workers.map((worker) => worker.close()));
  }
}
