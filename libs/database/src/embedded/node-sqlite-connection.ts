import { backup, DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';

type Row = Record<string, unknown>;

const ROLLBACK = /^\s*ROLLBACK\s*$/i;

interface RunResult {
  changes: number;
  lastInsertRowid: number;
}

/** The part of a better-sqlite3 statement that TypeORM's driver uses. */
export interface NodeSqliteStatement {
  /** True when the statement returns rows (a SELECT, a PRAGMA, or a write with RETURNING). */
  readonly reader: boolean;
  all(...parameters: SQLInputValue[]): Row[];
  run(...parameters: SQLInputValue[]): RunResult;
}

class PreparedStatement implements NodeSqliteStatement {
  readonly reader: boolean;

  constructor(private readonly statement: StatementSync) {
    this.reader = statement.columns().length > 0;
  }

  all(...parameters: SQLInputValue[]): Row[] {
    return this.statement.all(...parameters);
  }

  run(...parameters: SQLInputValue[]): RunResult {
    const { changes, lastInsertRowid } = this.statement.run(...parameters);
    return { changes: Number(changes), lastInsertRowid: Number(lastInsertRowid) };
  }
}

/**
 * SQLite may roll a transaction back by itself when its COMMIT fails on an I/O
 * error (disk full); TypeORM then sends ROLLBACK, which must not fail, or its
 * query runner would believe the transaction still open.
 */
class RollbackStatement implements NodeSqliteStatement {
  readonly reader = false;

  constructor(private readonly database: DatabaseSync) {}

  all(): Row[] {
    this.run();
    return [];
  }

  run(): RunResult {
    if (this.database.isTransaction) this.database.exec('ROLLBACK');
    return { changes: 0, lastInsertRowid: 0 };
  }
}

/**
 * Node's built-in SQLite (`node:sqlite`, no addon to compile) shaped like the
 * better-sqlite3 `Database` class, so TypeORM's `better-sqlite3` driver runs on
 * it unchanged (`driver: NodeSqliteConnection`). Only what that driver and its
 * query runner call is here: the constructor, `prepare`, `pragma` and `close`.
 * Rows are returned as node:sqlite builds them.
 */
export class NodeSqliteConnection {
  private readonly database: DatabaseSync;

  constructor(filename: string, options: { readonly?: boolean; timeout?: number } = {}) {
    this.database = new DatabaseSync(filename, {
      readOnly: options.readonly ?? false,
      timeout: options.timeout ?? 0,
      // TypeORM switches foreign keys on itself, and off around migrations.
      enableForeignKeyConstraints: false,
    });
  }

  get inTransaction(): boolean {
    return this.database.isTransaction;
  }

  prepare(sql: string): NodeSqliteStatement {
    if (ROLLBACK.test(sql)) return new RollbackStatement(this.database);
    return new PreparedStatement(this.database.prepare(sql));
  }

  /** `pragma("journal_mode = WAL")` → the rows `PRAGMA journal_mode = WAL` returns. */
  pragma(source: string): Row[] {
    return this.database.prepare(`PRAGMA ${source}`).all();
  }

  exec(sql: string): void {
    this.database.exec(sql);
  }

  /** SQLite's online backup into `destination`, a few pages at a time while writes go on. */
  backup(destination: string): Promise<number> {
    return backup(this.database, destination);
  }

  close(): void {
    if (this.database.isOpen) this.database.close();
  }
}
