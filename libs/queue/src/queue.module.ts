import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { redisConfig, type RedisConfig } from '@coffee/config';
import { BullMqJobQueue } from './drivers/bullmq.job-queue';
import { InProcessJobQueue } from './drivers/in-process.job-queue';
import { JobHandlerRegistry } from './job-handler.registry';
import { JobQueue } from './job-queue';

/**
 * Provides {@link JobQueue}: BullMQ when Redis is configured, else the in-process
 * driver (which runs the handlers itself, so embedded mode needs no worker).
 * The recurring jobs are the API's to start in embedded mode
 * (`InProcessScheduler`, provided by ApiModule), not every process that
 * enqueues jobs (operator commands).
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    JobHandlerRegistry,
    {
      provide: JobQueue,
      inject: [redisConfig.KEY, JobHandlerRegistry],
      useFactory: (config: RedisConfig, registry: JobHandlerRegistry): JobQueue =>
        config.enabled ? new BullMqJobQueue(config) : new InProcessJobQueue(registry),
    },
  ],
  exports: [JobQueue, JobHandlerRegistry],
})
export class QueueModule {}
