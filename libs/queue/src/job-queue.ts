import type { EnqueueOptions, FailedJob, FailedJobsQuery, JobName, JobPayload, JobStatus, QueueName } from './jobs';

/**
 * The one way to run work in the background. BullMQ on Redis in full mode, an
 * in-process runner in embedded mode; callers cannot tell which.
 */
export abstract class JobQueue {
  /** Adds a job; resolves with its id. Fails fast (503) when the queue store is down. */
  abstract enqueue<N extends JobName>(
    name: N,
    payload: JobPayload<N>,
    options?: EnqueueOptions,
  ): Promise<{ id: string }>;

  abstract getJob(id: string): Promise<JobStatus | null>;

  /** Jobs waiting or delayed per queue, for metrics. */
  abstract depth(): Promise<Record<QueueName, number>>;

  /** Jobs that used up their attempts, most recently failed first, with the total. */
  abstract failed(query: FailedJobsQuery): Promise<{ items: FailedJob[]; total: number }>;
}
