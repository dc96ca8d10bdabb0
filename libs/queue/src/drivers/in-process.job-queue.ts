import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { reportJobFailure } from '@coffee/observability';
import { JobQueue } from '../job-queue';
import { JobHandlerRegistry } from '../job-handler.registry';
import {
  JOB_OPTIONS,
  JOB_QUEUE,
  QUEUES,
  restaurantIdOf,
  type EnqueueOptions,
  type FailedJob,
  type FailedJobsQuery,
  type JobName,
  type JobState,
  type JobStatus,
  type QueueName,
} from '../jobs';

interface InProcessJob {
  id: string;
  name: JobName;
  payload: unknown;
  state: JobState;
  attempts: number;
  maxAttempts: number;
  result?: unknown;
  error?: string;
  finishedOn?: number;
  timer?: NodeJS.Timeout;
}

/** How many finished jobs stay queryable, like BullMQ's removeOnComplete. */
const KEEP_FINISHED = 1000;

/**
 * Embedded mode: jobs run in this process with the same handlers, retries and
 * states as the BullMQ driver. Jobs do not survive a restart.
 */
@Injectable()
export class InProcessJobQueue extends JobQueue implements OnApplicationShutdown {
  private readonly logger = new Logger(InProcessJobQueue.name);
  private readonly jobs = new Map<string, InProcessJob>();
  private readonly running = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly registry: JobHandlerRegistry) {
    super();
  }

  enqueue<N extends JobName>(name: N, payload: unknown, options: EnqueueOptions = {}): Promise<{ id: string }> {
    const id = options.jobId ?? randomUUID();
    if (!this.jobs.has(id)) {
      const job: InProcessJob = {
        id,
        name,
        payload,
        state: options.delayMs ? 'delayed' : 'waiting',
        attempts: 0,
        maxAttempts: options.attempts ?? JOB_OPTIONS[name].attempts,
      };
      this.jobs.set(id, job);
      this.schedule(job, options.delayMs ?? 0);
    }
    return Promise.resolve({ id });
  }

  getJob(id: string): Promise<JobStatus | null> {
    const job = this.jobs.get(id);
    if (!job) return Promise.resolve(null);
    const status: JobStatus = { id: job.id, name: job.name, state: job.state };
    if (job.result !== undefined) status.result = job.result;
    if (job.error !== undefined) status.error = job.error;
    return Promise.resolve(status);
  }

  depth(): Promise<Record<QueueName, number>> {
    const depth = Object.fromEntries(QUEUES.map((queue) => [queue, 0])) as Record<QueueName, number>;
    for (const job of this.jobs.values()) {
      if (job.state === 'waiting' || job.state === 'delayed') depth[JOB_QUEUE[job.name]] += 1;
    }
    return Promise.resolve(depth);
  }

  failed(query: FailedJobsQuery): Promise<{ items: FailedJob[]; total: number }> {
    const failed = [...this.jobs.values()]
      .filter((job) => job.state === 'failed' && (!query.queue || JOB_QUEUE[job.name] === query.queue))
      .sort((a, b) => (b.finishedOn ?? 0) - (a.finishedOn ?? 0));
    const items = failed.slice(query.offset, query.offset + query.limit).map((job): FailedJob => ({
      id: job.id,
      queue: JOB_QUEUE[job.name],
      name: job.name,
      failedReason: job.error ?? '',
      attemptsMade: job.attempts,
      finishedOn: job.finishedOn === undefined ? null : new Date(job.finishedOn).toISOString(),
    }));
    return Promise.resolve({ items, total: failed.length });
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    for (const job of this.jobs.values()) clearTimeout(job.timer);
    await Promise.allSettled([...this.running]);
  }

  private schedule(job: InProcessJob, delayMs: number): void {
    if (this.closed) return;
    job.timer = setTimeout(() => {
      const run = this.execute(job).finally(() => this.running.delete(run));
      this.running.add(run);
    }, delayMs);
    job.timer.unref();
  }

  private async execute(job: InProcessJob): Promise<void> {
    job.state = 'active';
    job.attempts += 1;
    try {
      job.result = await this.registry.run(job.name, job.payload as never, { jobId: job.id, attempt: job.attempts });
      job.state = 'completed';
      job.finishedOn = Date.now();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (job.attempts < job.maxAttempts && !this.closed) {
        job.state = 'delayed';
        this.schedule(job, JOB_OPTIONS[job.name].backoffMs * 2 ** (job.attempts - 1));
        return;
      }
      job.state = 'failed';
      job.error = message;
      job.finishedOn = Date.now();
      this.logger.error({ err: error, jobId: job.id, job: job.name }, 'Job failed');
      reportJobFailure(error, {
        queue: JOB_QUEUE[job.name],
        name: job.name,
        id: job.id,
        attempts: job.attempts,
        restaurantId: restaurantIdOf(job.payload),
      });
    }
    this.forgetOldJobs();
  }

  private forgetOldJobs(): void {
    if (this.jobs.size <= KEEP_FINISHED) return;
    for (const [id, job] of this.jobs) {
      if (this.jobs.size <= KEEP_FINISHED) break;
      if (job.state === 'completed' || job.state === 'failed') this.jobs.delete(id);
    }
  }
}
