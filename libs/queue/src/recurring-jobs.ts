import type { JobName } from './jobs';

export interface RecurringJob {
  /** Stable scheduler id: upserting the same id never duplicates the schedule. */
  id: string;
  name: JobName;
  everyMs: number;
  /** Also enqueued once whenever a worker (the API in embedded mode) starts, not only a period later. */
  atStart?: boolean;
}

/** Maintenance that runs on a timer: BullMQ job schedulers in full mode, intervals in embedded mode. */
export const RECURRING_JOBS: readonly RecurringJob[] = [
  { id: 'purge-expired', name: 'maintenance.purge-expired', everyMs: 60 * 60 * 1000 },
  // Trials and periods end at any minute of the day; a few minutes late is within what anyone notices.
  { id: 'subscriptions-lifecycle', name: 'subscriptions.lifecycle', everyMs: 5 * 60 * 1000 },
  { id: 'purge-refresh-tokens', name: 'maintenance.purge-refresh-tokens', everyMs: 60 * 60 * 1000 },
  // Upgrades queue rollup backfills (migration 1764600000000): run them as soon as the new release starts;
  // the schedule retries a failed one and catches a migration run after the worker started.
  // Webhook events are relayed as soon as they commit (a nudge after commit); this tick catches a lost nudge.
  { id: 'webhooks-relay', name: 'webhooks.relay', everyMs: 10 * 1000, atStart: true },
  { id: 'backfill-rollups', name: 'reports.backfill-rollups', everyMs: 15 * 60 * 1000, atStart: true },
];
