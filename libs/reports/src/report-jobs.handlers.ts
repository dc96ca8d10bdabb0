import { Injectable } from '@nestjs/common';
import { RebuildSalesRollupsUseCase, type RebuildResult } from '@coffee/orders';
import { HandlesJob, type JobHandler, type JobPayload } from '@coffee/queue';
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

/** `reports.rebuild-rollups`: recomputes a range of rollups from the raw paid orders; idempotent. */
@Injectable()
@HandlesJob('reports.rebuild-rollups')
export class RebuildRollupsHandler implements JobHandler<'reports.rebuild-rollups'> {
  constructor(private readonly rebuild: RebuildSalesRollupsUseCase) {}

  async handle(payload: JobPayload<'reports.rebuild-rollups'>): Promise<RebuildResult> {
    checkPayload('reports.rebuild-rollups', payload.restaurantId, { from: payload.from, to: payload.to });
    if (payload.from > payload.to)
      throw new Error(`reports.rebuild-rollups: "from" ${payload.from} is after "to" ${payload.to}`);
    return this.rebuild.run(payload.restaurantId, payload.from, payload.to);
  }
}
