/** Queue names: one BullMQ queue each in full mode. */
export const QUEUES = ['maintenance', 'reports'] as const;
export type QueueName = (typeof QUEUES)[number];

/** Every job the system runs, with its typed payload. Add a job here first. */
export interface JobPayloads {
  /** Purges expired records (idempotency keys, …). `now` lets a caller pin the clock. */
  'maintenance.purge-expired': { now?: string };
  /** Moves subscriptions whose period or grace period ended (past due, renewed, canceled). `now`: ISO 8601, else the clock. */
  'subscriptions.lifecycle': { now?: string };
  /** Stores the daily sales report of one restaurant and local date (YYYY-MM-DD), replacing an earlier one. */
  'reports.daily': { restaurantId: string; date: string };
  /** Recomputes a restaurant's sales rollups for local dates `from`…`to` (YYYY-MM-DD) from its paid orders. */
  'reports.rebuild-rollups': { restaurantId: string; from: string; to: string };
}

export type JobName = keyof JobPayloads;
export type JobPayload<N extends JobName> = JobPayloads[N];

/** Which queue carries each job. */
export const JOB_QUEUE: { [N in JobName]: QueueName } = {
  'maintenance.purge-expired': 'maintenance',
  'subscriptions.lifecycle': 'maintenance',
  'reports.daily': 'reports',
  'reports.rebuild-rollups': 'reports',
};

export type JobState = 'waiting' | 'active' | 'delayed' | 'completed' | 'failed';

export interface JobStatus {
  id: string;
  name: JobName;
  state: JobState;
  result?: unknown;
  error?: string;
}

export interface EnqueueOptions {
  /** A stable id makes enqueueing idempotent: the same id is one job. */
  jobId?: string;
  delayMs?: number;
  attempts?: number;
}

export interface JobContext {
  jobId: string;
  attempt: number;
}

/** Runs one kind of job. Implementations must be idempotent: a job may run twice. */
export interface JobHandler<N extends JobName> {
  handle(payload: JobPayload<N>, context: JobContext): Promise<unknown>;
}

export const DEFAULT_ATTEMPTS = 3;
export const DEFAULT_BACKOFF_MS = 1000;
