import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntitySubscriberInterface } from 'typeorm';
import type { AfterQueryEvent } from 'typeorm/subscriber/event/QueryEvent.js';
import { isStorageFailure } from '@coffee/common';
import { isEmbedded } from '../data-source.options';
import type { NodeSqliteConnection } from './node-sqlite-connection';

const READ_ONLY = /^\s*(select|pragma|explain|with)\b/i;
const COMMIT = /^\s*commit\b/i;

/**
 * Whether the embedded database can write its file. A failed write (disk full,
 * file-size limit, I/O error) is answered 503 `STORAGE_UNAVAILABLE` by the
 * exception filter and turns readiness down; the next write that reaches the
 * disk, a client's or the readiness probe's, turns it up again. Full mode has
 * no file: the state is always up.
 */
@Injectable()
export class EmbeddedStorageState implements OnModuleInit, EntitySubscriberInterface {
  private readonly logger = new Logger(EmbeddedStorageState.name);
  private failure: string | undefined;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** True in embedded mode, the only one with a database file of its own. */
  get applies(): boolean {
    return isEmbedded(this.dataSource);
  }

  onModuleInit(): void {
    if (this.applies) this.dataSource.subscribers.push(this);
  }

  /** Why the last write failed, while writes are failing. */
  get failingBecause(): string | undefined {
    return this.failure;
  }

  afterQuery(event: AfterQueryEvent): void {
    if (!event.success) {
      if (isStorageFailure(event.error)) this.failed(event.error);
      return;
    }
    if (this.failure === undefined || READ_ONLY.test(event.query)) return;
    // A statement outside a transaction is committed when it returns; inside one, the COMMIT is.
    if (COMMIT.test(event.query) || !event.queryRunner.isTransactionActive) this.recovered();
  }

  /**
   * Readiness while writes are failing: one small durable write (the header's
   * user_version counter, which nothing else uses) shows whether the disk is
   * back. Skipped inside a transaction, whose work it would join.
   */
  probe(): void {
    if (this.failure === undefined) return;
    const connection = (this.dataSource.driver as unknown as { databaseConnection: NodeSqliteConnection })
      .databaseConnection;
    if (connection.inTransaction) return;
    try {
      connection.exec(`PRAGMA user_version = ${Date.now() % 2 ** 31}`);
      this.recovered();
    } catch (error) {
      if (!isStorageFailure(error)) throw error;
      this.failed(error);
    }
  }

  private failed(error: unknown): void {
    const reason = (error as { message?: string }).message ?? String(error);
    if (this.failure === undefined)
      this.logger.error({ err: error }, `The embedded database cannot write its file: ${reason}`);
    this.failure = reason;
  }

  private recovered(): void {
    this.failure = undefined;
    this.logger.log('The embedded database writes its file again');
  }
}
