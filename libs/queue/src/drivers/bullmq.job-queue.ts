import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { AppError } from '@coffee/common';
import { redisConfig, type RedisConfig } from '@coffee/config';
import { createRedisClient, PRODUCER_OPTIONS } from '@coffee/redis';
import { JobQueue } from '../job-queue';
import {
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF_MS,
  JOB_QUEUE,
  QUEUES,
  type EnqueueOptions,
  type JobName,
  type JobState,
  type JobStatus,
  type QueueName,
} from '../jobs';

const KNOWN_STATES = new Set<string>(['waiting', 'active', 'delayed', 'completed', 'failed']);

/** Full mode: one BullMQ queue per queue name; `apps/worker` processes them. */
@Injectable()
export class BullMqJobQueue extends JobQueue implements OnApplicationShutdown {
  private readonly connection;
  private readonly queues: Record<QueueName, Queue>;

  constructor(@Inject(redisConfig.KEY) config: RedisConfig) {
    super();
    if (!config.url) throw new Error('BullMqJobQueue needs REDIS_URL');
    this.connection = createRedisClient(config.url, PRODUCER_OPTIONS);
    const prefix = `${config.keyPrefix}:bull`;
    this.queues = Object.fromEntries(
      QUEUES.map((name) => [
        name,
        new Queue(name, {
          connection: this.connection,
          prefix,
          skipWaitingForReady: true,
          defaultJobOptions: {
            attempts: DEFAULT_ATTEMPTS,
            backoff: { type: 'exponential', delay: DEFAULT_BACKOFF_MS },
            removeOnComplete: { age: 24 * 3600, count: 1000 },
            removeOnFail: { age: 7 * 24 * 3600 },
          },
        }),
      ]),
    ) as Record<QueueName, Queue>;
    for (const queue of Object.values(this.queues)) queue.on('error', (error) => this.onQueueError(error));
  }

  private readonly logger = new Logger(BullMqJobQueue.name);
  private lastErrorLog = 0;

  private onQueueError(error: Error): void {
    // Connection trouble repeats every retry; once per 10 s says enough.
    if (Date.now() - this.lastErrorLog < 10_000) return;
    this.lastErrorLog = Date.now();
    this.logger.warn({ err: error }, 'Job queue connection error');
  }

  async enqueue<N extends JobName>(name: N, payload: unknown, options: EnqueueOptions = {}): Promise<{ id: string }> {
    const queue = this.queues[JOB_QUEUE[name]];
    const jobId = options.jobId ?? randomUUID();
    try {
      await queue.add(name, payload, {
        jobId,
        ...(options.delayMs ? { delay: options.delayMs } : {}),
        ...(options.attempts ? { attempts: options.attempts } : {}),
      });
    } catch (error) {
      throw AppError.serviceUnavailable('The job queue is unavailable; try again shortly', error);
    }
    return { id: jobId };
  }

  async getJob(id: string): Promise<JobStatus | null> {
    for (const queue of Object.values(this.queues)) {
      const job = await queue.getJob(id);
      if (!job) continue;
      const state = await job.getState();
      const status: JobStatus = {
        id,
        name: job.name as JobName,
        state: (KNOWN_STATES.has(state) ? state : 'waiting') as JobState,
      };
      if (job.returnvalue !== undefined && job.returnvalue !== null) status.result = job.returnvalue;
      if (job.failedReason) status.error = job.failedReason;
      return status;
    }
    return null;
  }

  async depth(): Promise<Record<QueueName, number>> {
    const entries = await Promise.all(
      QUEUES.map(async (name) => {
        const counts = await this.queues[name].getJobCounts('waiting', 'delayed', 'prioritized');
        return [name, Object.values(counts).reduce((sum, n) => sum + n, 0)] as const;
      }),
    );
    return Object.fromEntries(entries) as Record<QueueName, number>;
  }

  /** For the worker: the queue objects, to attach schedulers. */
  queue(name: QueueName): Queue {
    return this.queues[name];
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled(Object.values(this.queues).map((queue) => queue.close()));
    await this.connection.quit().catch(() => this.connection.disconnect());
  }
}
