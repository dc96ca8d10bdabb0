import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { JobQueue, QUEUES } from '@coffee/queue';
import { MetricsService } from './metrics.service';

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

    this.metrics.gauge(
      'queue_depth',
      'Jobs waiting or delayed per queue',
      async (gauge) => {
        try {
          const depth = await this.queue.depth();
          for (const name of QUEUES) gauge.set({ queue: name }, depth[name]);
        } catch {
          // Redis away: the gauge keeps its last value; readiness reports the outage.
        }
      },
      ['queue'],
    );
  }

  private pool(): Mysql2PoolInternals | undefined {
    if (!this.dataSource.isInitialized) return undefined;
    // mysql2 exposes no public pool statistics; these fields are stable across mysql2 3.x.
    return (this.dataSource.driver as unknown as { pool?: Mysql2PoolInternals }).pool;
  }
}
