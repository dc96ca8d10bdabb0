import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type * as BullMq from 'bullmq';
import type { JobsOptions, Queue } from 'bullmq';
import { AppError } from '@coffee/common';
import { redisConfig, type RedisConfig } from '@coffee/config';
import { bullmqTelemetry } from '@coffee/observability';
import { createRedisClient, PRODUCER_OPTIONS } from '@coffee/redis';
import { JobQueue } from '../job-queue';
import {
  JOB_OPTIONS,
  JOB_QUEUE,
  QUEUES,
  type EnqueueOptions,
  type FailedJob,
  type FailedJobsQuery,
  type JobName,
  type JobState,
  type JobStatus,
  type QueueName,
} from '../jobs';

/** A job's {@link JOB_OPTIONS} policy as BullMQ options: for `add` and for the recurring job schedulers. */
export function bullJobOptions(
  name: JobName,
): Pick<JobsOptions, 'attempts' | 'backoff' | 'removeOnComplete' | 'removeOnFail'> {
  const policy = JOB_OPTIONS[name];
  return {
    attempts: policy.attempts,
    backoff: { type: 'exponential', delay: policy.backoffMs },
    removeOnComplete: { count: policy.removeOnComplete.count, age: policy.removeOnComplete.ageSeconds },
    removeOnFail: { count: policy.removeOnFail.count, age: policy.removeOnFail.ageSeconds },
  };
}

const KNOWN_STATES = new Set<string>(['waiting', 'active', 'delayed', 'completed', 'failed']);

/**
 * Full mode: one BullMQ queue per queue name; `apps/worker` processes them.
 *
 * BullMQ checks the server once per queue object (an `INFO` for its version)
 * and keeps that check's promise for the object's life: if it fails — a 1 s
 * command timeout while a loaded machine boots several processes is enough —
 * every later call on that queue fails with the same error, though Redis is
 * fine and readiness says so. A queue whose check failed is therefore replaced
 * by a new one the next time it is used.
 */
@Injectable()
export class BullMqJobQueue extends JobQueue implements OnApplicationShutdown {
  private readonly connection;
  private readonly prefix: string;
  private readonly queues: Record<QueueName, Queue>;
  /** Queues whose start-up check failed: unusable for good, replaced on next use. */
  private readonly broken = new WeakSet<Queue>();
  private closing = false;

  constructor(@Inject(redisConfig.KEY) config: RedisConfig) {
    super();
    if (!config.enabled)
      throw new Error('BullMqJobQueue needs Redis (REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES)');
    this.connection = createRedisClient(config, PRODUCER_OPTIONS);
    this.prefix = config.queuePrefix;
    this.queues = Object.fromEntries(QUEUES.map((name) => [name, this.open(name)])) as Record<QueueName, Queue>;
  }

  private readonly logger = new Logger(BullMqJobQueue.name);
  private lastErrorLog = 0;

  private open(name: QueueName): Queue {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- full mode only: embedded starts do not load BullMQ
    const { Queue } = require('bullmq') as typeof BullMq;
    const queue = new Queue(name, {
      connection: this.connection,
      prefix: this.prefix,
      skipWaitingForReady: true,
      telemetry: bullmqTelemetry(),
    });
    queue.on('error', (error) => this.onQueueError(error));
    queue.waitUntilReady().catch(() => this.broken.add(queue));
    return queue;
  }

  private onQueueError(error: Error): void {
    // Connection trouble repeats every retry; once per 10 s says enough.
    if (Date.now() - this.lastErrorLog < 10_000) return;
    this.lastErrorLog = Date.now();
    this.logger.warn({ err: error }, 'Job queue connection error');
  }

  /** The queue object of `name` (for the worker's schedulers, metrics and the methods here); see the class comment. */
  queue(name: QueueName): Queue {
    const queue = this.queues[name];
    if (this.closing || !this.broken.has(queue)) return queue;
    this.logger.warn({ queue: name }, 'Job queue failed its start-up check; opening it again');
    const fresh = this.open(name);
    this.queues[name] = fresh;
    // The connection is shared, so closing the old object only drops its listeners.
    void queue.close().catch(() => undefined);
    return fresh;
  }

  async enqueue<N extends JobName>(name: N, payload: unknown, options: EnqueueOptions = {}): Promise<{ id: string }> {
    const queue = this.queue(JOB_QUEUE[name]);
    const jobId = options.jobId ?? randomUUID();
    try {
      await queue.add(name, payload, {
        ...bullJobOptions(name),
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
    for (const queue of QUEUES.map((name) => this.queue(name))) {
      // State first, then the job hash: a job finishes (return value and state in
      // one Lua script) between two reads, and read the other way round a job
      // could show as completed without its result.
      const state = await queue.getJobState(id);
      if (state === 'unknown') continue;
      const job = await queue.getJob(id);
      if (!job) continue;
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
        const counts = await this.queue(name).getJobCounts('waiting', 'delayed', 'prioritized');
        return [name, Object.values(counts).reduce((sum, n) => sum + n, 0)] as const;
      }),
    );
    return Object.fromEntries(entries) as Record<QueueName, number>;
  }

  async failed(query: FailedJobsQuery): Promise<{ items: FailedJob[]; total: number }> {
    const names = query.queue ? [query.queue] : [...QUEUES];
    // Each queue keeps its failed jobs newest first; the page of the merged list
    // lies within the first offset + limit of every queue.
    const perQueue = await Promise.all(
      names.map(async (name) => {
        const queue = this.queue(name);
        const [jobs, count] = await Promise.all([
          queue.getFailed(0, query.offset + query.limit - 1),
          queue.getFailedCount(),
        ]);
        return {
          count,
          // A job removed between the two reads comes back empty.
          jobs: jobs.filter(Boolean).map((job): FailedJob => ({
            id: job.id ?? '',
            queue: name,
            name: job.name as JobName,
            failedReason: job.failedReason ?? '',
            attemptsMade: job.attemptsMade,
            finishedOn: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
          })),
        };
      }),
    ).catch((error: unknown) => {
      throw AppError.serviceUnavailable('The job queue is unavailable; try again shortly', error);
    });
    const merged = perQueue
      .flatMap((entry) => entry.jobs)
      .sort((a, b) => (b.finishedOn ?? '').localeCompare(a.finishedOn ?? '') || a.id.localeCompare(b.id));
    return {
      items: merged.slice(query.offset, query.offset + query.limit),
      total: perQueue.reduce((sum, entry) => sum + entry.count, 0),
    };
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    await Promise.allSettled(Object.values(this.queues).map((queue) => queue.close()));
    await this.connection.quit().catch(() => this.connection.disconnect());
  }
}
