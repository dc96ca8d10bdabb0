import { APP_INTERCEPTOR } from '@nestjs/core';
import { InFlightInterceptor } from '@coffee/common';
import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { RedisHealthIndicator } from './redis.health';
import { ShutdownState } from './shutdown-state';

@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  // Handlers count as in flight until they settle, so the drain at shutdown waits for them.
  providers: [RedisHealthIndicator, ShutdownState, { provide: APP_INTERCEPTOR, useClass: InFlightInterceptor }],
  exports: [ShutdownState],
})
export class HealthModule {}
