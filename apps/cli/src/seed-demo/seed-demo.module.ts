import { Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { AuditModule } from '@coffee/audit';
import { AppCacheModule } from '@coffee/cache';
import { CoffeeConfigModule } from '@coffee/config';
import { DatabaseModule } from '@coffee/database';
import { LoggingModule } from '@coffee/logging';
import { MenuModule } from '@coffee/menu';
import { MetricsModule } from '@coffee/metrics';
import { OrdersModule } from '@coffee/orders';
import { RedisModule } from '@coffee/redis';
import { SubscriptionsModule } from '@coffee/subscriptions';
import { SysadminModule } from '@coffee/sysadmin';
import { TablesModule } from '@coffee/tables';
import { TenancyModule } from '@coffee/tenancy';
import { UsersModule } from '@coffee/users';
import { WebhookOutboxModule } from '@coffee/webhooks';
import { DemoContent } from './demo-content';
import { DemoSeeder } from './demo-seeder';

/**
 * What `seed-demo` needs: the feature modules whose services the API's
 * requests reach, on the platform modules they rely on (events and metrics
 * for order placement, Redis so a running full-mode API sees the new menu).
 */
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
    MetricsModule,
    UsersModule,
    SysadminModule,
    MenuModule,
    TablesModule,
    OrdersModule,
    SubscriptionsModule,
    WebhookOutboxModule,
  ],
  providers: [DemoSeeder, DemoContent],
})
export class SeedDemoModule {}
