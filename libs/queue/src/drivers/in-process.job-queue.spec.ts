import type { JobHandlerRegistry } from '../job-handler.registry';
import { JOB_OPTIONS } from '../jobs';
import { InProcessJobQueue } from './in-process.job-queue';

function registryRunning(run: jest.Mock): JobHandlerRegistry {
  return { run } as unknown as JobHandlerRegistry;
}

async function settle(queue: InProcessJobQueue, id: string): Promise<string | undefined> {
  for (let i = 0; i < 1000; i++) {
    const job = await queue.getJob(id);
    if (job?.state === 'completed' || job?.state === 'failed') return job.state;
    await jest.advanceTimersByTimeAsync(250);
  }
  return undefined;
}

describe('InProcessJobQueue', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs the handler with the payload and keeps the result', async () => {
    const run = jest.fn().mockResolvedValue({ purged: 3 });
    const queue = new InProcessJobQueue(registryRunning(run));
    const { id } = await queue.enqueue('maintenance.purge-expired', { now: '2026-01-01T00:00:00Z' });
    expect(await queue.depth()).toEqual({ maintenance: 1, reports: 0, webhooks: 0 });
    expect(await settle(queue, id)).toBe('completed');
    expect(run).toHaveBeenCalledWith(
      'maintenance.purge-expired',
      { now: '2026-01-01T00:00:00Z' },
      { jobId: id, attempt: 1 },
    );
    await expect(queue.getJob(id)).resolves.toMatchObject({ state: 'completed', result: { purged: 3 } });
    expect(await queue.depth()).toEqual({ maintenance: 0, reports: 0, webhooks: 0 });
  });

  it('retries with backoff, then succeeds', async () => {
    const run = jest.fn().mockRejectedValueOnce(new Error('db away')).mockResolvedValue('ok');
    const queue = new InProcessJobQueue(registryRunning(run));
    const { id } = await queue.enqueue('maintenance.purge-expired', {});
    expect(await settle(queue, id)).toBe('completed');
    expect(run).toHaveBeenCalledTimes(2);
    expect(run.mock.calls[1][2]).toEqual({ jobId: id, attempt: 2 });
  });

  it('takes attempts and backoff from JOB_OPTIONS for the job', async () => {
    const run = jest.fn().mockRejectedValue(new Error('broken'));
    const queue = new InProcessJobQueue(registryRunning(run));
    const { attempts, backoffMs } = JOB_OPTIONS['subscriptions.lifecycle'];
    const { id } = await queue.enqueue('subscriptions.lifecycle', {});
    await jest.advanceTimersByTimeAsync(1);
    expect(run).toHaveBeenCalledTimes(1);
    // The second attempt comes backoffMs later, the third twice that after the second.
    await jest.advanceTimersByTimeAsync(backoffMs - 10);
    expect(run).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(20);
    expect(run).toHaveBeenCalledTimes(2);
    await jest.advanceTimersByTimeAsync(2 * backoffMs - 20);
    expect(run).toHaveBeenCalledTimes(2);
    await jest.advanceTimersByTimeAsync(40);
    expect(run).toHaveBeenCalledTimes(3);
    expect(await settle(queue, id)).toBe('failed');
    expect(run).toHaveBeenCalledTimes(attempts);
  });

  it('lists failed jobs newest first, by queue, paged', async () => {
    const run = jest.fn().mockRejectedValue(new Error('no luck'));
    const queue = new InProcessJobQueue(registryRunning(run));
    const first = await queue.enqueue('maintenance.purge-expired', {}, { attempts: 1 });
    expect(await settle(queue, first.id)).toBe('failed');
    const second = await queue.enqueue('subscriptions.lifecycle', {}, { attempts: 1 });
    expect(await settle(queue, second.id)).toBe('failed');
    run.mockResolvedValue('fine');
    const ok = await queue.enqueue('maintenance.purge-expired', {});
    expect(await settle(queue, ok.id)).toBe('completed');

    const all = await queue.failed({ limit: 10, offset: 0 });
    expect(all.total).toBe(2);
    expect(all.items.map((job) => job.id)).toEqual([second.id, first.id]);
    expect(all.items[0]).toEqual({
      id: second.id,
      queue: 'maintenance',
      name: 'subscriptions.lifecycle',
      failedReason: 'no luck',
      attemptsMade: 1,
      finishedOn: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    await expect(queue.failed({ limit: 1, offset: 1 })).resolves.toMatchObject({
      total: 2,
      items: [{ id: first.id }],
    });
    await expect(queue.failed({ queue: 'reports', limit: 10, offset: 0 })).resolves.toEqual({ items: [], total: 0 });
  });

  it('marks the job failed with the error after its attempts', async () => {
    const run = jest.fn().mockRejectedValue(new Error('still broken'));
    const queue = new InProcessJobQueue(registryRunning(run));
    const { id } = await queue.enqueue('maintenance.purge-expired', {}, { attempts: 2 });
    expect(await settle(queue, id)).toBe('failed');
    expect(run).toHaveBeenCalledTimes(2);
    await expect(queue.getJob(id)).resolves.toMatchObject({ state: 'failed', error: 'still broken' });
  });

  it('treats an enqueue with a known jobId as the same job', async () => {
    const run = jest.fn().mockResolvedValue(null);
    const queue = new InProcessJobQueue(registryRunning(run));
    await queue.enqueue('maintenance.purge-expired', {}, { jobId: 'daily-2026-01-01' });
    await queue.enqueue('maintenance.purge-expired', {}, { jobId: 'daily-2026-01-01' });
    expect(await settle(queue, 'daily-2026-01-01')).toBe('completed');
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('honours a delay and reports the job as delayed until then', async () => {
    const run = jest.fn().mockResolvedValue(null);
    const queue = new InProcessJobQueue(registryRunning(run));
    const { id } = await queue.enqueue('maintenance.purge-expired', {}, { delayMs: 5000 });
    await expect(queue.getJob(id)).resolves.toMatchObject({ state: 'delayed' });
    await jest.advanceTimersByTimeAsync(4000);
    expect(run).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1500);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('waits for running jobs on shutdown and starts no new ones', async () => {
    let finish: () => void = () => undefined;
    const run = jest.fn().mockImplementation(() => new Promise<void>((resolve) => (finish = resolve)));
    const queue = new InProcessJobQueue(registryRunning(run));
    const { id } = await queue.enqueue('maintenance.purge-expired', {});
    await jest.advanceTimersByTimeAsync(1);
    const closing = queue.onApplicationShutdown();
    await queue.enqueue('maintenance.purge-expired', {}, { jobId: 'late' });
    finish();
    await closing;
    await expect(queue.getJob(id)).resolves.toMatchObject({ state: 'completed' });
    await jest.advanceTimersByTimeAsync(1000);
    expect(run).toHaveBeenCalledTimes(1);
  });
});
