import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { IncomingMessage } from 'node:http';
import { ClsModule } from 'nestjs-cls';
import { NoPlanLimits, PlanLimits } from './plan-limits';
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
        mount: true,
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
    { provide: PlanLimits, useClass: NoPlanLimits },
  ],
  exports: [RequestContext, RestaurantRepository, TenantStatusService, PlanLimits],
})
export class TenancyModule {}
