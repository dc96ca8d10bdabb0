import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntitySubscriberInterface, type QueryRunner } from 'typeorm';
import type { AfterQueryEvent } from 'typeorm/subscriber/event/QueryEvent.js';
import type { TransactionCommitEvent } from 'typeorm/subscriber/event/TransactionCommitEvent.js';
import type { SqljsDriver } from 'typeorm/driver/sqljs/SqljsDriver.js';

const SAVE_DELAY_MS = 200;
const READ_ONLY = /^\s*(select|pragma|explain|with)\b/i;

/**
 * Saves the embedded SQLite database to its file shortly after committed
 * writes, batching bursts into one write, and once more when it closes. A save is
 * never taken inside an open transaction (sql.js export would end it).
 */
@Injectable()
export class EmbeddedDatabasePersistence implements OnModuleInit, EntitySubscriberInterface {
  private readonly logger = new Logger(EmbeddedDatabasePersistence.name);
  private timer: NodeJS.Timeout | undefined;
  private dirty = false;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async onModuleInit(): Promise<void> {
    if (this.dataSource.options.type !== 'sqljs') return;
    this.dataSource.subscribers.push(this);
    // The last save runs when the DataSource closes, whoever closes it. No Nest
    // shutdown hook fits: `beforeApplicationShutdown` runs before the HTTP
    // server drains (handlers still finishing commit after it), and TypeORM's
    // module destroys the DataSource in `onApplicationShutdown` before this
    // module's own hook would run.
    const destroy = this.dataSource.destroy.bind(this.dataSource);
    this.dataSource.destroy = async (): Promise<void> => {
      clearTimeout(this.timer);
      await this.flush();
      await destroy();
    };
    // Migrations may have just run, before this subscriber could see them.
    this.dirty = true;
    await this.flush();
  }

  afterQuery(event: AfterQueryEvent): void {
    if (!event.success || READ_ONLY.test(event.query)) return;
    this.dirty = true;
    if (!this.inTransaction(event.queryRunner)) this.schedule();
  }

  afterTransactionCommit(_event: TransactionCommitEvent): void {
    if (this.dirty) this.schedule();
  }

  /** Writes the database file now if anything changed since the last save. */
  async flush(): Promise<void> {
    if (!this.dirty || !this.dataSource.isInitialized) return;
    const driver = this.dataSource.driver as SqljsDriver;
    if (driver.queryRunner?.isTransactionActive) {
      this.schedule();
      return;
    }
    this.dirty = false;
    try {
      await driver.save();
    } catch (error) {
      this.dirty = true;
      this.logger.error({ err: error }, 'Could not save the embedded database');
    }
  }

  private inTransaction(queryRunner: QueryRunner | undefined): boolean {
    return queryRunner?.isTransactionActive ?? false;
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, SAVE_DELAY_MS);
    this.timer.unref();
  }
}
