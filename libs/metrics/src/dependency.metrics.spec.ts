import type { DataSource } from 'typeorm';
import { DatabaseCircuitBreaker } from '@coffee/database';
import type { JobQueue } from '@coffee/queue';
import { DependencyMetrics } from './dependency.metrics';
import { MetricsService } from './metrics.service';

function metricsWith(depth: () => Promise<Record<string, number>>): MetricsService {
  const metrics = new MetricsService();
  const dataSource = { isInitialized: false } as DataSource;
  const embedded = new DatabaseCircuitBreaker(undefined, BREAKER);
  new DependencyMetrics(metrics, dataSource, { depth } as unknown as JobQueue, embedded).onModuleInit();
  return metrics;
}

const BREAKER = {
  enabled: true,
  acquireTimeoutMs: 5000,
  errorThresholdPercent: 50,
  minimumRequests: 2,
  windowMs: 10_000,
  resetTimeoutMs: 5000,
};

describe('database circuit metrics', () => {
  it('export the state as a gauge and count failures and rejections', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const driver = {
      obtainMasterConnection: () => Promise.reject(refused),
      obtainSlaveConnection: () => Promise.reject(refused),
    };
    const circuit = new DatabaseCircuitBreaker(driver, BREAKER);
    const metrics = new MetricsService();
    const dataSource = { isInitialized: false } as DataSource;
    const queue = { depth: () => Promise.resolve({}) } as unknown as JobQueue;
    new DependencyMetrics(metrics, dataSource, queue, circuit).onModuleInit();
    try {
      expect((await metrics.render()).body).toContain('db_circuit_state 0');
      for (let i = 0; i < 3; i++) await driver.obtainMasterConnection().catch(() => undefined);
      const { body } = await metrics.render();
      expect(body).toContain('db_circuit_state 2');
      expect(body).toContain('db_connection_failures_total{code="ECONNREFUSED"} 2');
      expect(body).toContain('db_circuit_rejections_total 1');
    } finally {
      circuit.onApplicationShutdown();
    }
  });

  it('are absent in embedded mode', async () => {
    const { body } = await metricsWith(() => Promise.resolve({})).render();
    expect(body).not.toContain('db_circuit_state');
  });
});

describe('queue depth gauge', () => {
  it('has a value for every queue even when no read has succeeded yet, flagged stale', async () => {
    const metrics = metricsWith(() => Promise.reject(new Error('Connection is closed.')));
    const { body } = await metrics.render();
    expect(body).toContain('queue_depth{queue="maintenance"} 0');
    expect(body).toContain('queue_depth{queue="reports"} 0');
    expect(body).toContain('queue_depth_stale{queue="maintenance"} 1');
  });

  it('keeps the last known value while reads fail', async () => {
    const depth = jest
      .fn<Promise<Record<string, number>>, []>()
      .mockResolvedValueOnce({ maintenance: 3, reports: 1 })
      .mockRejectedValue(new Error('Connection is closed.'));
    const metrics = metricsWith(depth);
    expect((await metrics.render()).body).toContain('queue_depth_stale{queue="maintenance"} 0');
    const { body } = await metrics.render();
    expect(body).toContain('queue_depth{queue="maintenance"} 3');
    expect(body).toContain('queue_depth{queue="reports"} 1');
    expect(body).toContain('queue_depth_stale{queue="maintenance"} 1');
  });
});
