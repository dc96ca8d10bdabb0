import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MenuCategoryNamesModule } from '@coffee/menu';
import { SalesModule } from '@coffee/orders';
import { QueueModule } from '@coffee/queue';
import { DailyReportEntity } from './daily-report.entity';
import { DailyReportGenerator } from './daily-report.generator';
import { DailyReportRepository } from './daily-report.repository';
import { BackfillRollupsHandler, DailyReportHandler, RebuildRollupsHandler } from './report-jobs.handlers';
import { SalesReportBuilder } from './sales-report.builder';

/**
 * The report jobs and what they need, without routes: the worker imports this
 * alone; the API gets it through ReportsModule and runs the jobs in process in
 * embedded mode.
 */
@Module({
  imports: [TypeOrmModule.forFeature([DailyReportEntity]), SalesModule, MenuCategoryNamesModule, QueueModule],
  providers: [
    DailyReportRepository,
    SalesReportBuilder,
    DailyReportGenerator,
    DailyReportHandler,
    RebuildRollupsHandler,
    BackfillRollupsHandler,
  ],
  exports: [DailyReportRepository, SalesReportBuilder, SalesModule],
})
export class ReportJobsModule {}
