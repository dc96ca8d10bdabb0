import { Injectable, Logger } from '@nestjs/common';
import {
  BackfillSalesRollupsUseCase,
  RebuildSalesRollupsUseCase,
  SalesRollupBackfillRepository,
  type RebuildResult,
  type SalesRollupBackfill,
} from '@coffee/orders';
import { HandlesJob, JobQueue, type JobHandler, type JobPayload } from '@coffee/queue';
import { DailyReportGenerator } from './daily-report.generator';
import { isBusinessDate } from './domain/date-range';

const RESTAURANT_ID = /^[0-9a-f-]{36}$/i;

/**
 * Checks what a job's payload must hold before anything runs. The API
 * validates what it queues, but a job outlives the release that queued it and
 * others may queue one (scripts, an older or newer API): a malformed one fails
 * with a message naming the field instead of storing a report for a day that
 * does not exist or looping over a bogus range.
 */
function checkPayload(job: string, restaurantId: unknown, dates: Record<string, unknown>): void {
  if (typeof restaurantId !== 'string' || !RESTAURANT_ID.test(restaurantId))
    throw new Error(`${job}: "restaurantId" is not a restaurant id: ${String(restaurantId)}`);
  for (const [field, value] of Object.entries(dates)) {
    if (typeof value !== 'string' || !isBusinessDate(value))
      throw new Error(`${job}: "${field}" is not a date written YYYY-MM-DD: ${String(value)}`);
  }
}

/** `reports.daily`: stores the report of one date (the API validated it); a re-run replaces it. */
@Injectable()
@HandlesJob('reports.daily')
export class DailyReportHandler implements JobHandler<'reports.daily'> {
  constructor(private readonly generator: DailyReportGenerator) {}

  async handle(payload: JobPayload<'reports.daily'>): Promise<{ date: string; orders: number; revenue: number }> {
    checkPayload('reports.daily', payload.restaurantId, { date: payload.date });
    return this.generator.generate(payload.restaurantId, payload.date);
  }
}

/**
 * `reports.rebuild-rollups`: recomputes a range of rollups from the raw paid
 * orders; idempotent. An upgrade backfill also removes its pending row.
 */
@Injectable()
@HandlesJob('reports.rebuild-rollups')
export class RebuildRollupsHandler implements JobHandler<'reports.rebuild-rollups'> {
  constructor(
    private readonly rebuild: RebuildSalesRollupsUseCase,
    private readonly backfill: BackfillSalesRollupsUseCase,
  ) {}

  async handle({ restaurantId, from, to, backfill }: JobPayload<'reports.rebuild-rollups'>): Promise<RebuildResult> {
    checkPayload('reports.rebuild-rollups', restaurantId, { from, to });
    if (from > to) throw new Error(`reports.rebuild-rollups: "from" ${from} is after "to" ${to}`);
    return backfill ? this.backfill.run(restaurantId, from, to) : this.rebuild.run(restaurantId, from, to);
  }
}

/**
 * The job id of a backfill's rebuild: one per restaurant, so however many
 * drains run at once (several workers starting together, a tick meanwhile)
 * they enqueue one job. `restarts` gives a fresh id once a job has finished
 * without removing the row (failed for good, say), as a finished job keeps its
 * id for its retention period.
 */
export function backfillJobId(backfill: Pick<SalesRollupBackfill, 'restaurantId' | 'restarts'>): string {
  return `rollup-backfill-${backfill.restaurantId}-${backfill.restarts}`;
}

/**
 * `reports.backfill-rollups` (at start and every 15 minutes): enqueues the
 * rebuild of each pending upgrade backfill. A backfill whose job is waiting or
 * running is left to it; one whose job finished and yet is still pending gets
 * a new job, once (the restart is a conditional update).
 */
@Injectable()
@HandlesJob('reports.backfill-rollups')
export class BackfillRollupsHandler implements JobHandler<'reports.backfill-rollups'> {
  private readonly logger = new Logger(BackfillRollupsHandler.name);

  constructor(
    private readonly backfills: SalesRollupBackfillRepository,
    private readonly queue: JobQueue,
  ) {}

  async handle(): Promise<{ pending: number; enqueued: number }> {
    let pending = 0;
    let enqueued = 0;
    for await (const backfill of this.backfills.all()) {
      pending += 1;
      let current = backfill;
      const job = await this.queue.getJob(backfillJobId(backfill));
      if (job?.state === 'completed' || job?.state === 'failed') {
        // Finished meanwhile (row gone), or another drain restarted it first: nothing to do.
        if (!(await this.backfills.restart(backfill))) continue;
        current = { ...backfill, restarts: backfill.restarts + 1 };
        this.logger.warn(
          { restaurantId: backfill.restaurantId, job: job.id, state: job.state, error: job.error },
          'A rollup backfill is still pending after its rebuild job ended; enqueueing it again',
        );
      } else if (job) continue;
      const { restaurantId, from, to } = current;
      await this.queue.enqueue(
        'reports.rebuild-rollups',
        { restaurantId, from, to, backfill: true },
        { jobId: backfillJobId(current) },
      );
      enqueued += 1;
    }
    if (pending > 0) this.logger.log({ pending, enqueued }, 'Enqueued the pending sales rollup backfills');
    return { pending, enqueued };
  }
}
