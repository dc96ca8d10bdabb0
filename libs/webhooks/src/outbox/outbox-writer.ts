import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  DataSource,
  EntitySubscriberInterface,
  QueryRunner,
  TransactionCommitEvent,
  TransactionRollbackEvent,
} from 'typeorm';
import { Clock } from '@coffee/common';
import { newId, type TransactionScope } from '@coffee/database';
import { InProcessJobQueue, JobHandlerRegistry, JobQueue } from '@coffee/queue';
import { IntegrationEvents, type IntegrationEvent } from '@coffee/tenancy';
import { OutboxRepository } from './outbox.repository';

const NUDGE_COALESCE_MS = 50;

/**
 * The outbox behind {@link IntegrationEvents}: `record` inserts the event row
 * with the caller's transaction manager, so it commits or rolls back with the
 * change. Once a transaction that wrote events commits (TypeORM's
 * afterTransactionCommit), a `webhooks.relay` job is enqueued so the events go
 * out at once; a rolled-back transaction leaves no row and enqueues nothing.
 * A lost nudge (queue down) only delays the events to the relay's next tick.
 */
@Injectable()
export class OutboxWriter extends IntegrationEvents implements EntitySubscriberInterface, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxWriter.name);
  /** Transactions (by query runner) that wrote events and have not ended yet. */
  private readonly writers = new WeakSet<QueryRunner>();
  /** The coalescing timer of a nudge not sent yet. */
  private pendingNudge: NodeJS.Timeout | null = null;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly queue: JobQueue,
    private readonly handlers: JobHandlerRegistry,
    private readonly clock: Clock,
    @InjectDataSource() dataSource: DataSource,
  ) {
    super();
    dataSource.subscribers.push(this);
  }

  async record(tx: TransactionScope, event: IntegrationEvent): Promise<void> {
    const runner = tx.manager.queryRunner;
    if (!runner?.isTransactionActive) throw new Error(`Event ${event.type} recorded outside a transaction`);
    await this.outbox.insert(tx, {
      id: newId(),
      type: event.type,
      payload: JSON.stringify(event.data),
      occurredAt: this.clock.now(),
    });
    this.writers.add(runner);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    if (!this.writers.delete(event.queryRunner)) return;
    this.nudge();
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    this.writers.delete(event.queryRunner);
  }

  /**
   * At most one relay job per {@link NUDGE_COALESCE_MS} per process: a burst of
   * orders becomes one relay run, not one each (every run reads the outbox).
   */
  private nudge(): void {
    // An operator command in embedded mode has no relay handler: the API's next tick relays.
    if (this.queue instanceof InProcessJobQueue && !this.handlers.has('webhooks.relay')) return;
    if (this.pendingNudge) return;
    this.pendingNudge = setTimeout(() => void this.sendNudge(), NUDGE_COALESCE_MS).unref();
  }

  /**
   * Requests have drained and the queue (closed in onApplicationShutdown) is
   * still open: a nudge still waiting on its timer goes now rather than
   * firing into a closed queue.
   */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.pendingNudge) await this.sendNudge();
  }

  private async sendNudge(): Promise<void> {
    if (this.pendingNudge) clearTimeout(this.pendingNudge);
    this.pendingNudge = null;
    await this.queue
      .enqueue('webhooks.relay', {})
      .catch((error: unknown) =>
        this.logger.warn({ err: error }, 'Could not nudge the webhook relay; its next tick relays'),
      );
  }
}
