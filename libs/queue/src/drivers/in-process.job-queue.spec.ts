import type { JobHandlerRegistry } from '../job-handler.registry';
import { InProcessJobQueue } from './in-process.job-queue';

function registryRunning(run: jest.Mock): JobHandlerRegistry {
  return { run } as unknown as JobHandlerRegistry;
}

async function settle(queue: InProcessJobQueue, id: string): Promise<string | undefined> {
  for (let i = 0; i < 200; i++) {
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
    expect(await queue.depth()).toEqual({ maintenance: 1, reports: 0 });
    expect(await settle(queue, id)).toBe('completed');
    expect(run).toHaveBeenCalledWith(
      'maintenance.purge-expired',
      { now: '2026-01-01T00:00:00Z' },
      { jobId: id, attempt: 1 },
    );
    await expect(queue.getJob(id)).resolves.toMatchObject({ state: 'completed', result: { purged: 3 } });
    expect(await queue.depth()).toEqual({ maintenance: 0, reports: 0 });
  });

  it('retries with backoff, then succeeds', async () => {
    const run = jest.fn().mockRejectedValueOnce(new Error('db away')).mockResolvedValue('ok');
    const queue = new InProcessJobQueue(registryRunning(run));
    const { id } = await queue.enqueue('maintenance.purge-expired', {});
    expect(await settle(queue, id)).toBe('completed');
    expect(run).toHaveBeenCalledTimes(2);
    expect(run.mock.calls[1][2]).toEqual({ jobId: id, attempt: 2 });
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
