/** Queue names: one BullMQ queue each in full mode. */
export const QUEUES = ['maintenance', 'reports', 'webhooks'] as const;
export type QueueName = (typeof QUEUES)[number];

/** Every job the system runs, with its typed payload. Add a job here first. */
export interface JobPayloads {
  /** Purges expired records (idempotency keys, …). `now` lets a caller pin the clock. */
  'maintenance.purge-expired': { now?: string };
  /** Moves subscriptions whose period or grace period ended (past due, renewed, canceled). `now`: ISO 8601, else the clock. */
  'subscriptions.lifecycle': { now?: string };
  /** Stores the daily sales report of one restaurant and local date (YYYY-MM-DD), replacing an earlier one. */
  'reports.daily': { restaurantId: string; date: string };
  /**
   * Recomputes a restaurant's sales rollups for local dates `from`…`to` (YYYY-MM-DD) from its paid orders.
   * `backfill`: an upgrade backfill, whose pending row goes once the range is rebuilt.
   */
  'reports.rebuild-rollups': { restaurantId: string; from: string; to: string; backfill?: boolean };
  /** Enqueues a `reports.rebuild-rollups` for each pending upgrade backfill of the sales rollups. */
  'reports.backfill-rollups': Record<string, never>;
  /** Deletes refresh tokens past their expiry (rotated, revoked or unused alike). `now`: ISO 8601, else the clock. */
  'maintenance.purge-refresh-tokens': { now?: string };
  /** Turns committed outbox events into one webhook delivery per subscribed endpoint, and re-enqueues lost attempts. */
  'webhooks.relay': Record<string, never>;
  /** One attempt of one webhook delivery; a failed attempt enqueues the next one itself (delayed, by the retry schedule). */
  'webhooks.deliver': { restaurantId: string; deliveryId: string; attempt: number };
}

export type JobName = keyof JobPayloads;
export type JobPayload<N extends JobName> = JobPayloads[N];

/** Which queue carries each job. */
export const JOB_QUEUE: { [N in JobName]: QueueName } = {
  'maintenance.purge-expired': 'maintenance',
  'subscriptions.lifecycle': 'maintenance',
  'reports.daily': 'reports',
  'reports.rebuild-rollups': 'reports',
  'reports.backfill-rollups': 'maintenance',
  'maintenance.purge-refresh-tokens': 'maintenance',
  'webhooks.relay': 'webhooks',
  'webhooks.deliver': 'webhooks',
};

/** How long finished jobs stay queryable: at most `count` of them, none older than `ageSeconds`. */
export interface JobRetention {
  count: number;
  ageSeconds: number;
}

/** Retries and retention of one kind of job; both drivers apply it, and so do the recurring schedules. */
export interface JobPolicy {
  /** Runs in all, the first included. */
  attempts: number;
  /** Exponential backoff: attempt n+1 starts `delayMs * 2^(n-1)` after attempt n failed. */
  backoffMs: number;
  removeOnComplete: JobRetention;
  removeOnFail: JobRetention;
}

const DAY_SECONDS = 24 * 3600;

/**
 * The retry policy of every job. Maintenance sweeps run again on their own
 * schedule, so a few quick retries suffice; failed jobs stay a week for
 * operators (`jobs:failed`, `GET /api/v1/sysadmin/jobs/failed`).
 */
export const JOB_OPTIONS: { [N in JobName]: JobPolicy } = {
  'maintenance.purge-expired': {
    attempts: 3,
    backoffMs: 5_000,
    removeOnComplete: { count: 100, ageSeconds: DAY_SECONDS },
    removeOnFail: { count: 1000, ageSeconds: 7 * DAY_SECONDS },
  },
  'subscriptions.lifecycle': {
    attempts: 5,
    backoffMs: 5_000,
    removeOnComplete: { count: 500, ageSeconds: DAY_SECONDS },
    removeOnFail: { count: 1000, ageSeconds: 7 * DAY_SECONDS },
  },
  'maintenance.purge-refresh-tokens': {
    attempts: 3,
    backoffMs: 5_000,
    removeOnComplete: { count: 100, ageSeconds: DAY_SECONDS },
    removeOnFail: { count: 1000, ageSeconds: 7 * DAY_SECONDS },
  },
  // Someone is waiting for it (GET /reports/jobs/:jobId): quick retries, and
  // finished jobs kept a day so their state can still be read.
  'reports.daily': {
    attempts: 3,
    backoffMs: 2_000,
    removeOnComplete: { count: 10_000, ageSeconds: DAY_SECONDS },
    removeOnFail: { count: 10_000, ageSeconds: 7 * DAY_SECONDS },
  },
  'reports.rebuild-rollups': {
    attempts: 3,
    backoffMs: 10_000,
    removeOnComplete: { count: 1000, ageSeconds: DAY_SECONDS },
    removeOnFail: { count: 1000, ageSeconds: 7 * DAY_SECONDS },
  },
  // Cheap and nudged after every commit that writes an event; the schedule is the safety net.
  'webhooks.relay': {
    attempts: 3,
    backoffMs: 1_000,
    removeOnComplete: { count: 100, ageSeconds: 3600 },
    removeOnFail: { count: 1000, ageSeconds: 7 * DAY_SECONDS },
  },
  // A receiver's failure is not a job failure: the handler records it and schedules the next attempt
  // itself (WEBHOOK_RETRY_DELAYS_MS). These retries only cover our own trouble (database down).
  'webhooks.deliver': {
    attempts: 5,
    backoffMs: 5_000,
    removeOnComplete: { count: 1000, ageSeconds: DAY_SECONDS },
    removeOnFail: { count: 10_000, ageSeconds: 7 * DAY_SECONDS },
  },
  // Runs at start and on a schedule; a backfill whose rebuild failed is enqueued again by a later run.
  'reports.backfill-rollups': {
    attempts: 3,
    backoffMs: 5_000,
    removeOnComplete: { count: 100, ageSeconds: DAY_SECONDS },
    removeOnFail: { count: 1000, ageSeconds: 7 * DAY_SECONDS },
  },
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

/** A job that used up its attempts, for operators. */
export interface FailedJob {
  id: string;
  queue: QueueName;
  name: JobName;
  failedReason: string;
  attemptsMade: number;
  /** When the last attempt ended (ISO 8601), null if unknown. */
  finishedOn: string | null;
}

export interface FailedJobsQuery {
  queue?: QueueName;
  limit: number;
  offset: number;
}

export interface JobContext {
  jobId: string;
  attempt: number;
}

/** Runs one kind of job. Implementations must be idempotent: a job may run twice. */
export interface JobHandler<N extends JobName> {
  handle(payload: JobPayload<N>, context: JobContext): Promise<unknown>;
}

/** The tenant a job works for, when its payload names one (the report jobs), for error reports. */
export function restaurantIdOf(payload: unknown): string | null {
  const id = (payload as { restaurantId?: unknown } | null)?.restaurantId;
  return typeof id === 'string' ? id : null;
}
