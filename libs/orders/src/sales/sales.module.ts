import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrderEntity, OrderLineEntity } from '../order.entities';
import { OrderRepository } from '../order.repository';
import { BackfillSalesRollupsUseCase } from './backfill-sales-rollups.usecase';
import { RebuildSalesRollupsUseCase } from './rebuild-sales-rollups.usecase';
import { SalesRollupBackfillRepository } from './sales-rollup-backfill.repository';
import { SalesRollupRepository } from './sales-rollup.repository';
import {
  SalesDailyItemEntity,
  SalesHourlyEntity,
  SalesMonthlyHourlyEntity,
  SalesMonthlyItemEntity,
  SalesRollupBackfillEntity,
} from './sales.entities';
import { SalesReader } from './sales.reader';
import { SalesVersions } from './sales-versions';

/**
 * The sales rollups without the orders routes: OrdersModule imports it to
 * maintain them at payment, and the worker imports it alone for the report
 * jobs (importing OrdersModule would serve order routes from the worker).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      OrderEntity,
      OrderLineEntity,
      SalesHourlyEntity,
      SalesDailyItemEntity,
      SalesMonthlyHourlyEntity,
      SalesMonthlyItemEntity,
      SalesRollupBackfillEntity,
    ]),
  ],
  providers: [
    OrderRepository,
    SalesRollupRepository,
    SalesReader,
    SalesVersions,
    RebuildSalesRollupsUseCase,
    SalesRollupBackfillRepository,
    BackfillSalesRollupsUseCase,
  ],
  exports: [
    SalesRollupRepository,
    SalesReader,
    SalesVersions,
    RebuildSalesRollupsUseCase,
    SalesRollupBackfillRepository,
    BackfillSalesRollupsUseCase,
  ],
})
export class SalesModule {}
