import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { JobQueue, QUEUES, type QueueName } from '@coffee/queue';
import { MetricsService } from './metrics.service';

/** A scrape must not wait on a Redis that is reconnecting. */
const DEPTH_READ_TIMEOUT_MS = 1000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

interface Mysql2PoolInternals {
  _allConnections?: { length: number };
  _freeConnections?: { length: number };
  config?: { connectionLimit?: number };
}

/** Gauges read at scrape time: DB pool use and queue depth per queue. */
@Injectable()
export class DependencyMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queue: JobQueue,
  ) {}

  onModuleInit(): void {
    this.metrics.gauge(
      'db_pool_connections',
      'Database pool connections by state',
      (gauge) => {
        const pool = this.pool();
        if (!pool) return;
        const all = pool._allConnections?.length ?? 0;
        const free = pool._freeConnections?.length ?? 0;
        gauge.set({ state: 'in_use' }, all - free);
        gauge.set({ state: 'idle' }, free);
        gauge.set({ state: 'max' }, pool.config?.connectionLimit ?? 0);
      },
      ['state'],
    );

    // Every queue always has a value: the last one read, flagged stale when the
    // latest read failed or took too long, so a dashboard never loses the series.
    // prom-client collects all metrics of a scrape concurrently: both gauges
    // wait for the one read of that scrape.
    const depth = Object.fromEntries(QUEUES.map((name) => [name, 0])) as Record<QueueName, number>;
    let stale = true;
    let reading: Promise<void> | undefined;
    const read = (): Promise<void> =>
      (reading ??= withTimeout(this.queue.depth(), DEPTH_READ_TIMEOUT_MS)
        .then(
          (read) => {
            Object.assign(depth, read);
            stale = false;
          },
          () => {
            // Redis away or slow: readiness reports the outage.
            stale = true;
          },
        )
        .finally(() => (reading = undefined)));
    this.metrics.gauge(
      'queue_depth',
      'Jobs waiting or delayed per queue (the last value read; see queue_depth_stale)',
      async (gauge) => {
        await read();
        for (const name of QUEUES) gauge.set({ queue: name }, depth[name]);
      },
      ['queue'],
    );
    this.metrics.gauge(
      'queue_depth_stale',
      '1 while queue_depth shows an older value because the latest read failed',
      async (gauge) => {
        await read();
        for (const name of QUEUES) gauge.set({ queue: name }, stale ? 1 : 0);
      },
      ['queue'],
    );
  }

  /** The primary's pool: TypeORM's only pool, or the primary's node of its pool cluster when DB_READ_HOSTS is set. */
  private pool(): Mysql2PoolInternals | undefined {
    if (!this.dataSource.isInitialized) return undefined;
    // mysql2 exposes no public pool statistics; these fields are stable across mysql2 3.x.
    const driver = this.dataSource.driver as unknown as {
      pool?: Mysql2PoolInternals;
      poolCluster?: { _nodes?: Record<string, { pool?: Mysql2PoolInternals } | undefined> };
    };
    return driver.pool ?? driver.poolCluster?._nodes?.MASTER?.pool;
  }
}
