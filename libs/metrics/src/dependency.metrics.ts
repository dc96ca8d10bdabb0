import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CIRCUIT_STATE_VALUES, DatabaseCircuitBreaker } from '@coffee/database';
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
  _connectionQueue?: { length: number };
  config?: { connectionLimit?: number };
}

/** Gauges read at scrape time (DB pool use, the database circuit, queue depth per queue) and the circuit's counters. */
@Injectable()
export class DependencyMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queue: JobQueue,
    private readonly circuit: DatabaseCircuitBreaker,
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
        // Queries waiting for a connection: stays near 0 during an outage while the circuit is open.
        gauge.set({ state: 'waiting' }, pool._connectionQueue?.length ?? 0);
      },
      ['state'],
    );
    if (this.circuit.applies) this.circuitMetrics();

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

  private circuitMetrics(): void {
    this.metrics.gauge('db_circuit_state', 'Database circuit breaker: 0 closed, 1 half-open, 2 open', (gauge) => {
      gauge.set(CIRCUIT_STATE_VALUES[this.circuit.state]);
    });
    const rejected = this.metrics.counter(
      'db_circuit_rejections_total',
      'Queries refused at once (503) because the database circuit was open',
    );
    const failed = this.metrics.counter(
      'db_connection_failures_total',
      'Attempts to get a database connection that failed because the database could not be reached',
      ['code'],
    );
    // The series exists from the start, so an alert on its increase sees the first rejection.
    rejected.inc(0);
    this.circuit.on('rejected', () => rejected.inc());
    this.circuit.on('failed', (code) => failed.inc({ code }));
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
