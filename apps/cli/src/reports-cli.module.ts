import { Module } from '@nestjs/common';
import { AppCacheModule } from '@coffee/cache';
import { CoffeeConfigModule } from '@coffee/config';
import { DatabaseModule } from '@coffee/database';
import { LoggingModule } from '@coffee/logging';
import { MetricsModule } from '@coffee/metrics';
import { SalesModule } from '@coffee/orders';
import { RedisModule } from '@coffee/redis';
import { TenancyModule } from '@coffee/tenancy';

/** What `reports:rebuild` needs: the sales rollups (orders library) on the database, and Redis to retire cached reports. */
@Module({
  imports: [
    CoffeeConfigModule,
    LoggingModule,
    TenancyModule,
    DatabaseModule,
    RedisModule,
    AppCacheModule,
    MetricsModule,
    SalesModule,
  ],
})
export class ReportsCliModule {}
