import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel.js';
import { isEmbedded } from './data-source.options';

/**
 * Runs a use case in one transaction and hands it the manager to pass down to
 * repositories. The embedded SQLite has a single connection, so its
 * transactions are queued one after another; MySQL/MariaDB runs them in parallel.
 */
@Injectable()
export class TransactionRunner {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly serialize: boolean;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.serialize = isEmbedded(dataSource);
  }

  /**
   * `isolation` matters on MySQL/MariaDB: a check-then-write under a row lock
   * wants READ COMMITTED, so reads after the lock see what others committed.
   */
  run<T>(work: (manager: EntityManager) => Promise<T>, isolation?: IsolationLevel): Promise<T> {
    if (!this.serialize)
      return isolation ? this.dataSource.transaction(isolation, work) : this.dataSource.transaction(work);
    const next = this.tail.then(() => this.dataSource.transaction(work));
    this.tail = next.catch(() => undefined);
    return next;
  }
}
