import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { redisConfig, type RedisConfig } from '@coffee/config';
import { BullMqJobQueue } from './drivers/bullmq.job-queue';
import { InProcessJobQueue } from './drivers/in-process.job-queue';
import { JobHandlerRegistry } from './job-handler.registry';
import { InProcessScheduler } from './in-process.scheduler';
import { JobQueue } from './job-queue';

/**
 * Provides {@link JobQueue}: BullMQ when REDIS_URL is set, else the in-process
 * driver (which runs the handlers itself, so embedded mode needs no worker).
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    JobHandlerRegistry,
    {
      provide: JobQueue,
      inject: [redisConfig.KEY, JobHandlerRegistry],
      useFactory: (config: RedisConfig, registry: JobHandlerRegistry): JobQueue =>
        config.url ? new BullMqJobQueue(config) : new InProcessJobQueue(registry),
    },
    InProcessScheduler,
  ],
  exports: [JobQueue, JobHandlerRegistry],
})
export class QueueModule {}
