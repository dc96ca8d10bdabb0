import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel.js';
import { isEmbedded } from './data-source.options';

/**
 * The level of a transaction that names none: InnoDB's default, which the
 * code that names none was written against.
 */
export const DEFAULT_ISOLATION: IsolationLevel = 'REPEATABLE READ';

/**
 * Runs a use case in one transaction and hands it the manager to pass down to
 * repositories. The embedded SQLite has a single connection, so its
 * transactions are queued one after another; MySQL/MariaDB runs them in parallel.
 */
@Injectable()
export class TransactionRunner {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly serialize: boolean;
  /**
   * The session isolation level each pooled MySQL/MariaDB connection was last
   * set to by this runner. TypeORM states a level with `SET TRANSACTION …`
   * before every `START TRANSACTION`, a round trip per transaction; a session
   * level set once per connection and changed only when a transaction wants
   * another saves it on the hot paths (placement, status changes), which run
   * one level on most connections. A connection not seen yet (new, or
   * reconnected) gets its level set on first use.
   */
  private readonly sessionLevels = new WeakMap<object, IsolationLevel>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.serialize = isEmbedded(dataSource);
  }

  /**
   * `isolation` matters on MySQL/MariaDB: a check-then-write under a row lock
   * wants READ COMMITTED, so reads after the lock see what others committed.
   * Without one, the transaction runs at {@link DEFAULT_ISOLATION}.
   */
  run<T>(work: (manager: EntityManager) => Promise<T>, isolation: IsolationLevel = DEFAULT_ISOLATION): Promise<T> {
    if (!this.serialize) return this.runPooled(work, isolation);
    const next = this.tail.then(() => this.dataSource.transaction(work));
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** EntityManager.transaction's steps, with the level set per session rather than per transaction. */
  private async runPooled<T>(work: (manager: EntityManager) => Promise<T>, isolation: IsolationLevel): Promise<T> {
    const runner = this.dataSource.createQueryRunner('master');
    try {
      const connection = (await runner.connect()) as object;
      if (this.sessionLevels.get(connection) !== isolation) {
        // Forgotten first: should the SET fail, the next use sets the level again.
        this.sessionLevels.delete(connection);
        await runner.query(`SET SESSION TRANSACTION ISOLATION LEVEL ${isolation}`);
        this.sessionLevels.set(connection, isolation);
      }
      await runner.startTransaction();
      try {
        const result = await work(runner.manager);
        await runner.commitTransaction();
        return result;
      } catch (error) {
        // The original error is the one to report, even when the rollback fails too.
        await runner.rollbackTransaction().catch(() => undefined);
        throw error;
      }
    } finally {
      await runner.release();
    }
  }
}
