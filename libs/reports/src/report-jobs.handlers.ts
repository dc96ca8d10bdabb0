import { Injectable } from '@nestjs/common';
import { RebuildSalesRollupsUseCase, type RebuildResult } from '@coffee/orders';
import { HandlesJob, type JobHandler, type JobPayload } from '@coffee/queue';
import { DailyReportGenerator } from './daily-report.generator';

/** `reports.daily`: stores the report of one date (the API validated it); a re-run replaces it. */
@Injectable()
@HandlesJob('reports.daily')
export class DailyReportHandler implements JobHandler<'reports.daily'> {
  constructor(private readonly generator: DailyReportGenerator) {}

  handle(payload: JobPayload<'reports.daily'>): Promise<{ date: string; orders: number; revenue: number }> {
    return this.generator.generate(payload.restaurantId, payload.date);
  }
}

/** `reports.rebuild-rollups`: recomputes a range of rollups from the raw paid orders; idempotent. */
@Injectable()
@HandlesJob('reports.rebuild-rollups')
export class RebuildRollupsHandler implements JobHandler<'reports.rebuild-rollups'> {
  constructor(private readonly rebuild: RebuildSalesRollupsUseCase) {}

  handle(payload: JobPayload<'reports.rebuild-rollups'>): Promise<RebuildResult> {
    return this.rebuild.run(payload.restaurantId, payload.from, payload.to);
  }
}
