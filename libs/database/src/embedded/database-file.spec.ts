import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedDatabaseConnection, EmbeddedDatabaseRefusedError, prepareDatabaseFile } from './database-file';

function newPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'coffee-db-file-')), 'db.sqlite');
}

/** A database with a table of a few pages, closed cleanly (no write-ahead log left). */
function healthyDatabase(): Buffer {
  const path = newPath();
  const connection = new EmbeddedDatabaseConnection(path);
  connection.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)');
  const insert = connection.prepare('INSERT INTO t (body) VALUES (?)');
  for (let i = 0; i < 40; i++) insert.run('x'.repeat(1000));
  connection.close();
  return readFileSync(path);
}

function refusal(path: string): string {
  try {
    new EmbeddedDatabaseConnection(path).close();
  } catch (error) {
    expect(error).toBeInstanceOf(EmbeddedDatabaseRefusedError);
    return (error as Error).message;
  }
  throw new Error('opened');
}

describe('the embedded database file', () => {
  it('creates a missing file complete, with mode 0600, and leaves no temporary file', () => {
    const path = newPath();
    prepareDatabaseFile(path);
    expect(readFileSync(path).subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
    expect(statSync(path).size).toBeGreaterThan(0);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(path, '..'))).toEqual(['db.sqlite']);
  });

  it('keeps what was committed across a reopen', () => {
    const path = newPath();
    writeFileSync(path, healthyDatabase());
    const connection = new EmbeddedDatabaseConnection(path);
    expect(connection.prepare('SELECT COUNT(*) AS n FROM t').all()).toEqual([{ n: 40 }]);
    connection.close();
  });

  it.each([
    ['empty', () => Buffer.alloc(0), 'is empty (0 bytes)'],
    ['not SQLite', () => Buffer.from('hello world\n'.repeat(100)), 'is not a SQLite database'],
    ['shorter than its header says', () => healthyDatabase().subarray(0, 4096 * 2), 'is truncated'],
    [
      'damaged inside',
      () => {
        const bytes = healthyDatabase();
        bytes.fill(0x5a, 4096 + 100, 4096 * 3);
        return bytes;
      },
      'is damaged',
    ],
  ])('refuses a file that is %s, naming it and leaving it as it was', (_label, contents, problem) => {
    const path = newPath();
    const bytes = contents();
    writeFileSync(path, bytes);
    const message = refusal(path);
    expect(message).toContain(`The embedded database ${path} ${problem}`);
    expect(message).toContain('Restore it from a backup');
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('is held by one connection at a time, and the refusal names the holder', () => {
    const path = newPath();
    const holder = new EmbeddedDatabaseConnection(path);
    try {
      expect(refusal(path)).toContain(`is in use by pid ${process.pid}`);
    } finally {
      holder.close();
    }
    new EmbeddedDatabaseConnection(path).close();
  });

  it('commits through a write-ahead log with a full sync per commit', () => {
    const connection = new EmbeddedDatabaseConnection(newPath());
    try {
      expect(connection.pragma('journal_mode')).toEqual([{ journal_mode: 'wal' }]);
      expect(connection.pragma('synchronous')).toEqual([{ synchronous: 2 }]);
      expect(connection.pragma('locking_mode')).toEqual([{ locking_mode: 'exclusive' }]);
    } finally {
      connection.close();
    }
  });

  it('treats ROLLBACK after SQLite already rolled back as done, so TypeORM can always roll back', () => {
    const connection = new EmbeddedDatabaseConnection(newPath());
    try {
      const rollback = connection.prepare('ROLLBACK');
      expect(rollback.reader).toBe(false);
      expect(() => rollback.run()).not.toThrow();
      connection.exec('CREATE TABLE t (x)');
      connection.exec('BEGIN');
      connection.prepare('INSERT INTO t VALUES (?)').run(1);
      expect(connection.inTransaction).toBe(true);
      rollback.run();
      expect(connection.inTransaction).toBe(false);
      expect(connection.prepare('SELECT COUNT(*) AS n FROM t').all()).toEqual([{ n: 0 }]);
    } finally {
      connection.close();
    }
  });
});
