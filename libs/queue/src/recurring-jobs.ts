import type { JobName } from './jobs';

export interface RecurringJob {
  /** Stable scheduler id: upserting the same id never duplicates the schedule. */
  id: string;
  name: JobName;
  everyMs: number;
}

/** Maintenance that runs on a timer: BullMQ job schedulers in full mode, intervals in embedded mode. */
export const RECURRING_JOBS: readonly RecurringJob[] = [
  { id: 'purge-expired', name: 'maintenance.purge-expired', everyMs: 60 * 60 * 1000 },
  // Trials and periods end at any minute of the day; a few minutes late is within what anyone notices.
  { id: 'subscriptions-lifecycle', name: 'subscriptions.lifecycle', everyMs: 5 * 60 * 1000 },
  { id: 'purge-refresh-tokens', name: 'maintenance.purge-refresh-tokens', everyMs: 60 * 60 * 1000 },
];
