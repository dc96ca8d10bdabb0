import { Module } from '@nestjs/common';
import { AuditModule } from '@coffee/audit';
import { AppCacheModule } from '@coffee/cache';
import { CoffeeConfigModule } from '@coffee/config';
import { DatabaseModule } from '@coffee/database';
import { LoggingModule } from '@coffee/logging';
import { RedisModule } from '@coffee/redis';
import { SubscriptionsModule } from '@coffee/subscriptions';
import { TenancyModule } from '@coffee/tenancy';
import { UsersModule } from '@coffee/users';
import { WebhookOutboxModule } from '@coffee/webhooks';

/** What operator commands need: configuration, the database, and the users library with what it writes through (plan limits, audit log, webhook outbox). */
@Module({
  imports: [
    CoffeeConfigModule,
    LoggingModule,
    TenancyModule,
    DatabaseModule,
    AuditModule,
    RedisModule,
    AppCacheModule,
    SubscriptionsModule,
    UsersModule,
    // Subscription changes write webhook events (the subscriptions library needs the outbox).
    WebhookOutboxModule,
  ],
})
export class CliModule {}
