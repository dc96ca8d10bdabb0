import { Module } from '@nestjs/common';
import { QueueModule } from '@coffee/queue';
import { ReportJobsModule } from './report-jobs.module';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

/** Sales reports: the dashboard, daily reports and their jobs. */
@Module({
  imports: [ReportJobsModule, QueueModule],
  controllers: [ReportsController],
  providers: [ReportsService],
})
export class ReportsModule {}
