import { Global, Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { IncomingMessage } from 'node:http';
import { ClsMiddleware, ClsModule } from 'nestjs-cls';
import { Clock, FASTIFY_ONLY_ROUTES, SystemClock } from '@coffee/common';
import { UsageCounters } from './plan-limits';
import { RequestContext } from './request-context';
import { RestaurantEntity } from './restaurant.entity';
import { RestaurantRepository } from './restaurant.repository';
import { TenantStatusService } from './tenant-status.service';

@Global()
@Module({
  imports: [
    ClsModule.forRoot({
      global: true,
      middleware: {
        // Mounted below, so the hot Fastify-only routes can skip it.
        mount: false,
        generateId: true,
        // Fastify already chose the request id (kept from X-Request-Id or generated).
        idGenerator: (req: IncomingMessage) => (req as IncomingMessage & { id?: string }).id ?? '',
      },
    }),
    TypeOrmModule.forFeature([RestaurantEntity]),
  ],
  providers: [
    RequestContext,
    RestaurantRepository,
    TenantStatusService,
    UsageCounters,
    // The one clock every time-dependent rule reads; tests override it.
    { provide: Clock, useClass: SystemClock },
  ],
  exports: [RequestContext, RestaurantRepository, TenantStatusService, UsageCounters, Clock],
})
export class TenancyModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(ClsMiddleware)
      .exclude(...FASTIFY_ONLY_ROUTES)
      .forRoutes('{*path}');
  }
}
