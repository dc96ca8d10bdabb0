import type { DataSource, QueryRunner, TransactionCommitEvent } from 'typeorm';
import { FixedClock } from '@coffee/common';
import type { TransactionScope } from '@coffee/database';
import { type JobHandlerRegistry, JobQueue, QUEUES, type JobName, type QueueName } from '@coffee/queue';
import { OutboxWriter } from './outbox-writer';
import type { OutboxRepository } from './outbox.repository';

/** A queue that records what was enqueued, and refuses once closed (as BullMQ's does). */
class RecordingQueue extends JobQueue {
  readonly enqueued: JobName[] = [];
  closed = false;

  enqueue(name: JobName): Promise<{ id: string }> {
    if (this.closed) return Promise.reject(new Error('Connection is closed.'));
    this.enqueued.push(name);
    return Promise.resolve({ id: String(this.enqueued.length) });
  }
  getJob(): Promise<null> {
    return Promise.resolve(null);
  }
  depth(): Promise<Record<QueueName, number>> {
    return Promise.resolve(Object.fromEntries(QUEUES.map((queue) => [queue, 0])) as Record<QueueName, number>);
  }
  failed(): Promise<{ items: []; total: number }> {
    return Promise.resolve({ items: [], total: 0 });
  }
}

describe('OutboxWriter nudges', () => {
  let queue: RecordingQueue;
  let writer: OutboxWriter;

  beforeEach(() => {
    jest.useFakeTimers();
    queue = new RecordingQueue();
    const outbox = { insert: () => Promise.resolve() } as unknown as OutboxRepository;
    const registry = { has: () => true } as unknown as JobHandlerRegistry;
    const dataSource = { subscribers: [] } as unknown as DataSource;
    writer = new OutboxWriter(outbox, queue, registry, new FixedClock(new Date()), dataSource);
  });

  afterEach(() => jest.useRealTimers());

  /** A transaction that records an event and commits. */
  async function commitWithEvent(): Promise<void> {
    const queryRunner = { isTransactionActive: true } as QueryRunner;
    const tx = { restaurantId: 'r1', manager: { queryRunner } } as unknown as TransactionScope;
    await writer.record(tx, { type: 'order.created', data: {} });
    writer.afterTransactionCommit({ queryRunner } as TransactionCommitEvent);
  }

  it('coalesces a burst of commits into one relay job', async () => {
    await commitWithEvent();
    await commitWithEvent();
    await commitWithEvent();
    expect(queue.enqueued).toEqual([]);
    await jest.runAllTimersAsync();
    expect(queue.enqueued).toEqual(['webhooks.relay']);
  });

  it('sends a nudge still waiting on its timer before the queue closes at shutdown, once', async () => {
    await commitWithEvent();
    await writer.beforeApplicationShutdown();
    expect(queue.enqueued).toEqual(['webhooks.relay']);
    queue.closed = true;
    await jest.runAllTimersAsync();
    expect(queue.enqueued).toEqual(['webhooks.relay']);
  });

  it('sends nothing at shutdown when no nudge is waiting', async () => {
    await writer.beforeApplicationShutdown();
    expect(queue.enqueued).toEqual([]);
  });
});
