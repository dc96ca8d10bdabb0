import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InProcessJobQueue } from './drivers/in-process.job-queue';
import { JobQueue } from './job-queue';
import { RECURRING_JOBS } from './recurring-jobs';

/** Embedded mode runs the recurring jobs itself; in full mode the worker schedules them in BullMQ. */
@Injectable()
export class InProcessScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(private readonly queue: JobQueue) {}

  onApplicationBootstrap(): void {
    if (!(this.queue instanceof InProcessJobQueue)) return;
    for (const job of RECURRING_JOBS) {
      if (job.atStart) void this.queue.enqueue(job.name, {});
      const timer = setInterval(() => void this.queue.enqueue(job.name, {}), job.everyMs);
      timer.unref();
      this.timers.push(timer);
    }
  }

  onApplicationShutdown(): void {
    for (const timer of this.timers) clearInterval(timer);
  }
}
