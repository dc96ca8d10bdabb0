import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditLogEntity } from '@coffee/audit';
import { MenuModule } from '@coffee/menu';
import { QueueModule } from '@coffee/queue';
import { RestaurantEntity } from '@coffee/tenancy';
import { UsersModule } from '@coffee/users';
import { AdminRestaurantRepository } from './admin-restaurant.repository';
import { AuditLogRepository } from './audit-log.repository';
import { AuditLogService } from './audit-log.service';
import { PlatformStatsRepository } from './platform-stats.repository';
import { PlatformStatsService } from './platform-stats.service';
import { SysadminJobsController } from './sysadmin-jobs.controller';
import { SysadminRestaurantsController } from './sysadmin-restaurants.controller';
import { SysadminRestaurantsService } from './sysadmin-restaurants.service';
import { SysadminController } from './sysadmin.controller';
import { UpdateRestaurantUseCase } from './update-restaurant.usecase';

/** The platform console: tenants, their plans, platform stats, the audit log and failed jobs (`/api/v1/sysadmin/**`). */
@Module({
  // MenuModule for MenuVersions: a suspension or rename invalidates the cached public menu.
  // QueueModule for JobQueue: the failed-jobs view.
  imports: [TypeOrmModule.forFeature([RestaurantEntity, AuditLogEntity]), UsersModule, MenuModule, QueueModule],
  controllers: [SysadminRestaurantsController, SysadminController, SysadminJobsController],
  providers: [
    AdminRestaurantRepository,
    AuditLogRepository,
    PlatformStatsRepository,
    SysadminRestaurantsService,
    UpdateRestaurantUseCase,
    PlatformStatsService,
    AuditLogService,
  ],
  // The demo seed (CLI) creates its café through the same service.
  exports: [SysadminRestaurantsService],
})
export class SysadminModule {}
