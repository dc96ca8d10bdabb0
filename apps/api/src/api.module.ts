import { Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { APP_FILTER } from '@nestjs/core';
import { AuditModule } from '@coffee/audit';
import { AuthModule } from '@coffee/auth';
import { AppCacheModule } from '@coffee/cache';
import { ProblemDetailsFilter } from '@coffee/common';
import { CoffeeConfigModule } from '@coffee/config';
import { DatabaseModule } from '@coffee/database';
import { HealthModule } from '@coffee/health';
import { IdempotencyModule } from '@coffee/idempotency';
import { LoggingModule } from '@coffee/logging';
import { MenuModule } from '@coffee/menu';
import { MetricsModule } from '@coffee/metrics';
import { ObservabilityModule } from '@coffee/observability';
import { OrdersModule } from '@coffee/orders';
import { InProcessScheduler, QueueModule } from '@coffee/queue';
import { RedisModule } from '@coffee/redis';
import { ReportsModule } from '@coffee/reports';
import { SubscriptionsModule } from '@coffee/subscriptions';
import { SysadminModule } from '@coffee/sysadmin';
import { TablesModule } from '@coffee/tables';
import { TenancyModule } from '@coffee/tenancy';
import { SysadminBootstrap, UsersModule } from '@coffee/users';
import { WebhooksModule } from '@coffee/webhooks';

/** The HTTP API: platform modules first, then the features. */
@Module({
  imports: [
    CoffeeConfigModule,
    EventEmitterModule.forRoot(),
    LoggingModule,
    TenancyModule,
    DatabaseModule,
    AuditModule,
    RedisModule,
    AppCacheModule,
    QueueModule,
    HealthModule,
    MetricsModule,
    ObservabilityModule,
    IdempotencyModule,
    AuthModule,
    UsersModule,
    SysadminModule,
    MenuModule,
    TablesModule,
    OrdersModule,
    ReportsModule,
    SubscriptionsModule,
    WebhooksModule,
  ],
  providers: [
    { provide: APP_FILTER, useClass: ProblemDetailsFilter },
    // The API's start only: operator commands must not warn that no sysadmin exists while creating one.
    SysadminBootstrap,
    // Embedded mode's recurring jobs run in the API, not in operator commands that happen to load the queue.
    InProcessScheduler,
  ],
})
export class ApiModule {}
