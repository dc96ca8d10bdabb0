import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Counter, Histogram } from 'prom-client';
import { BullMqJobQueue, JobQueue, QUEUES, type QueueName } from '@coffee/queue';
import { MetricsService } from '@coffee/metrics';

const COUNTED_STATES = ['waiting', 'delayed', 'active', 'failed'] as const;

/** A scrape must not wait on a Redis that is reconnecting. */
const COUNTS_READ_TIMEOUT_MS = 1000;

/**
 * The worker's job metrics on its `/metrics`: how long each attempt took and
 * how it ended, how many jobs failed for good (attempts used up), and the jobs
 * of each queue by state (`queue_depth` counts waiting and delayed only).
 */
@Injectable()
export class JobMetrics implements OnModuleInit {
  private readonly duration: Histogram<'queue' | 'name' | 'status'>;
  private readonly failed: Counter<'queue' | 'name'>;

  constructor(
    private readonly metrics: MetricsService,
    private readonly queue: JobQueue,
  ) {
    this.duration = metrics.histogram(
      'job_duration_seconds',
      'Duration of each job attempt in seconds, by queue, job name and outcome (completed or failed)',
      ['queue', 'name', 'status'],
      [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
    );
    this.failed = metrics.counter(
      'jobs_failed_total',
      'Jobs that failed on their last attempt (see jobs:failed or GET /api/v1/sysadmin/jobs/failed)',
      ['queue', 'name'],
    );
  }

  onModuleInit(): void {
    const queue = this.queue;
    if (!(queue instanceof BullMqJobQueue)) return;
    // The last values read stay while Redis is away (queue_depth_stale says so).
    const counts = new Map<string, number>();
    this.metrics.gauge(
      'queue_jobs',
      'Jobs per queue and state (waiting, delayed, active, failed), the last values read',
      async (gauge) => {
        await Promise.all(
          QUEUES.map(async (name) => {
            let timer: NodeJS.Timeout | undefined;
            const timeout = new Promise<never>((_resolve, reject) => {
              timer = setTimeout(() => reject(new Error('timeout')), COUNTS_READ_TIMEOUT_MS);
            });
            try {
              const read = await Promise.race([queue.queue(name).getJobCounts(...COUNTED_STATES), timeout]);
              for (const state of COUNTED_STATES) counts.set(`${name}|${state}`, read[state] ?? 0);
            } catch {
              // Redis away or slow: readiness reports the outage.
            } finally {
              clearTimeout(timer);
            }
          }),
        );
        for (const name of QUEUES) {
          for (const state of COUNTED_STATES) gauge.set({ queue: name, state }, counts.get(`${name}|${state}`) ?? 0);
        }
      },
      ['queue', 'state'],
    );
  }

  /** Runs one attempt and records its duration and outcome. */
  async time<T>(queue: QueueName, name: string, attempt: () => Promise<T>): Promise<T> {
    const end = this.duration.startTimer({ queue, name });
    try {
      const result = await attempt();
      end({ status: 'completed' });
      return result;
    } catch (error) {
      end({ status: 'failed' });
      throw error;
    }
  }

  failedForGood(queue: QueueName, name: string): void {
    this.failed.inc({ queue, name });
  }
}
