import type { DataSource } from 'typeorm';
import type { JobQueue } from '@coffee/queue';
import { DependencyMetrics } from './dependency.metrics';
import { MetricsService } from './metrics.service';

function metricsWith(depth: () => Promise<Record<string, number>>): MetricsService {
  const metrics = new MetricsService();
  const dataSource = { isInitialized: false } as DataSource;
  new DependencyMetrics(metrics, dataSource, { depth } as unknown as JobQueue).onModuleInit();
  return metrics;
}

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
