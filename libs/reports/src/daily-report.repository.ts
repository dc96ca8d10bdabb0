import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { repositoryIn, type TenantScope } from '@coffee/database';
import { DailyReportEntity } from './daily-report.entity';

/** Stored daily reports of one restaurant (the scope), by business date. */
@Injectable()
export class DailyReportRepository {
  constructor(@InjectRepository(DailyReportEntity) private readonly reports: Repository<DailyReportEntity>) {}

  /** Inserts or replaces the report of its date: a re-run of the job leaves one row. */
  async save(scope: TenantScope, report: Omit<DailyReportEntity, 'restaurantId'>): Promise<void> {
    await repositoryIn(scope, DailyReportEntity, this.reports).upsert({ ...report, restaurantId: scope.restaurantId }, [
      'restaurantId',
      'businessDate',
    ]);
  }

  find(scope: TenantScope, businessDate: string): Promise<DailyReportEntity | null> {
    return repositoryIn(scope, DailyReportEntity, this.reports).findOneBy({
      restaurantId: scope.restaurantId,
      businessDate,
    });
  }
}
