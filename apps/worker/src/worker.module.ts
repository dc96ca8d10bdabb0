import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AuditModule } from '@coffee/audit';
import { SessionMaintenanceModule } from '@coffee/auth';
import { AppCacheModule } from '@coffee/cache';
import { ProblemDetailsFilter } from '@coffee/common';
import { CoffeeConfigModule } from '@coffee/config';
import { DatabaseModule } from '@coffee/database';
import { HealthModule } from '@coffee/health';
import { IdempotencyModule } from '@coffee/idempotency';
import { LoggingModule } from '@coffee/logging';
import { MetricsModule } from '@coffee/metrics';
import { ObservabilityModule } from '@coffee/observability';
import { QueueModule } from '@coffee/queue';
import { RedisModule } from '@coffee/redis';
import { ReportJobsModule } from '@coffee/reports';
import { SubscriptionLifecycleModule } from '@coffee/subscriptions';
import { TenancyModule } from '@coffee/tenancy';
import { WebhookJobsModule } from '@coffee/webhooks';
import { BullMqWorkers } from './bullmq-workers';
import { JobMetrics } from './job-metrics';

/** The background worker: the same handlers as the API, fed by BullMQ. Serves only probes and metrics. */
@Module({
  imports: [
    CoffeeConfigModule,
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
    SubscriptionLifecycleModule,
    ReportJobsModule,
    SessionMaintenanceModule,
    WebhookJobsModule,
  ],
  providers: [BullMqWorkers, JobMetrics, { provide: APP_FILTER, useClass: ProblemDetailsFilter }],
})
export class WorkerModule {}
