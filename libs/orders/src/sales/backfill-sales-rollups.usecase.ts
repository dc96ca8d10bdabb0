import { Injectable } from '@nestjs/common';
import { RebuildSalesRollupsUseCase, type RebuildResult } from './rebuild-sales-rollups.usecase';
import { SalesRollupBackfillRepository } from './sales-rollup-backfill.repository';

export interface BackfillResult extends RebuildResult {
  /** False if the row was already gone (another run finished first) or now asks for another range. */
  completed: boolean;
}

/**
 * Runs one pending upgrade backfill: rebuilds its range, then deletes its row
 * if the row still asks for that range. The range may reach today: the
 * rebuild is safe beside live payments (see RebuildSalesRollupsUseCase), so
 * payments made since the upgrade count once, and two runs of the same
 * backfill (two workers, a retry, the CLI) only rebuild the same days twice.
 */
@Injectable()
export class BackfillSalesRollupsUseCase {
  constructor(
    private readonly rebuild: RebuildSalesRollupsUseCase,
    private readonly backfills: SalesRollupBackfillRepository,
  ) {}

  async run(restaurantId: string, from: string, to: string): Promise<BackfillResult> {
    const result = await this.rebuild.run(restaurantId, from, to);
    return { ...result, completed: await this.backfills.complete(restaurantId, from, to) };
  }
}
