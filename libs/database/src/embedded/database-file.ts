import {
  closeSync,
  fsyncSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { NodeSqliteConnection } from './node-sqlite-connection';

/** Written into the header of every database file this app creates ("CAFE"). */
const APPLICATION_ID = 0x43414645;
const MAGIC = 'SQLite format 3\0';
const HEADER_BYTES = 100;

/** SQLite's primary result codes that the checks below tell apart. */
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;
const SQLITE_CORRUPT = 11;
const SQLITE_NOTADB = 26;

/**
 * The embedded database file cannot be used; the message names the file and
 * what to do. The app stops instead of starting on a new, empty database.
 */
export class EmbeddedDatabaseRefusedError extends Error {
  override readonly name = 'EmbeddedDatabaseRefusedError';
}

const RESTORE =
  'Restore it from a backup (see docs/operations.md), or move it away to start with a new, empty database.';

function refuse(path: string, problem: string, advice = RESTORE): never {
  throw new EmbeddedDatabaseRefusedError(`The embedded database ${path} ${problem}. ${advice}`);
}

/** Flushes a file or a directory (a rename is durable once its directory is synced). */
export function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function sizeOf(path: string): number | undefined {
  try {
    return statSync(path).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * A new database is made complete in a temporary file (mode 0600: it holds
 * password and key hashes) and renamed into place, so the file at `path` is
 * never empty or half-made, even if the process dies while creating it.
 */
function createDatabaseFile(path: string): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.new`);
  rmSync(temporary, { force: true });
  closeSync(openSync(temporary, 'wx', 0o600));
  const database = new DatabaseSync(temporary);
  try {
    database.exec(`PRAGMA synchronous = FULL; PRAGMA application_id = ${APPLICATION_ID}`);
  } finally {
    database.close();
  }
  renameSync(temporary, path);
  fsyncPath(dirname(path));
}

/**
 * Checks the file before SQLite opens it: only a missing file becomes a new
 * database. An empty file, a file that is not SQLite, or one shorter than its
 * header says (truncated by a copy, a full disk or an editor) stops the start.
 */
export function prepareDatabaseFile(path: string): void {
  const size = sizeOf(path);
  if (size === undefined) {
    createDatabaseFile(path);
    return;
  }
  if (!statSync(path).isFile()) refuse(path, 'is not a regular file', 'Point SQLITE_PATH at a file.');
  if (size === 0) refuse(path, 'is empty (0 bytes)');
  const header = Buffer.alloc(HEADER_BYTES);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, HEADER_BYTES, 0);
  } finally {
    closeSync(fd);
  }
  if (size < HEADER_BYTES || header.toString('latin1', 0, MAGIC.length) !== MAGIC)
    refuse(path, 'is not a SQLite database');
  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65_536 : rawPageSize;
  // A write-ahead log left by a crash is replayed when SQLite opens the file;
  // until then the main file may legitimately lag its header.
  if (sizeOf(`${path}-wal`)) return;
  const pageCountValid = header.readUInt32BE(24) === header.readUInt32BE(92);
  const pageCount = header.readUInt32BE(28);
  if (size % pageSize !== 0 || (pageCountValid && pageCount * pageSize > size))
    refuse(path, `is truncated (${size} bytes, its header says ${pageCount * pageSize})`);
}

function resultCode(error: unknown): number | undefined {
  const { errcode } = error as { errcode?: unknown };
  return typeof errcode === 'number' ? errcode & 0xff : undefined;
}

function ownerFile(path: string): string {
  return `${path}.pid`;
}

function recordedOwner(path: string): string {
  try {
    const pid = readFileSync(ownerFile(path), 'utf8').trim();
    return /^\d+$/.test(pid) ? `pid ${pid}` : 'another process';
  } catch {
    return 'another process';
  }
}

/**
 * Runs on the connection TypeORM has just opened (`prepareDatabase`), before
 * anything else touches it:
 * - `locking_mode = EXCLUSIVE`, then a write transaction: this process holds
 *   the file's lock until it exits, so a second process on the same file is
 *   refused (the operating system drops the lock of a process that died);
 * - write-ahead logging with `synchronous = FULL`: every commit is on disk
 *   (fsync) before it returns, so a write is acknowledged only once stored,
 *   and a crash leaves the last committed state;
 * - `quick_check`: a damaged file stops the start.
 */
export function openDatabaseExclusively(connection: NodeSqliteConnection, path: string): void {
  try {
    connection.exec('PRAGMA locking_mode = EXCLUSIVE');
    connection.pragma('journal_mode = WAL');
    connection.exec('BEGIN IMMEDIATE; COMMIT');
    connection.exec('PRAGMA synchronous = FULL');
    const problems = connection.pragma('quick_check(5)').map((row) => String(row.quick_check));
    if (problems.join() !== 'ok') refuse(path, `is damaged (${problems.join('; ')})`);
  } catch (error) {
    if (error instanceof EmbeddedDatabaseRefusedError) throw error;
    const code = resultCode(error);
    if (code === SQLITE_BUSY || code === SQLITE_LOCKED)
      refuse(
        path,
        `is in use by ${recordedOwner(path)}`,
        'One process per file: stop that process first, or give this one another SQLITE_PATH. Run several instances in full mode (MariaDB + Redis).',
      );
    if (code === SQLITE_NOTADB) refuse(path, 'is not a SQLite database');
    if (code === SQLITE_CORRUPT) refuse(path, 'is damaged');
    throw error;
  }
  writeFileSync(ownerFile(path), `${process.pid}\n`, { mode: 0o600 });
}

/**
 * The connection class TypeORM's `better-sqlite3` driver instantiates for the
 * embedded database: checks the file, opens it, takes it for this process.
 */
export class EmbeddedDatabaseConnection extends NodeSqliteConnection {
  constructor(filename: string, options: { readonly?: boolean; timeout?: number } = {}) {
    prepareDatabaseFile(filename);
    super(filename, options);
    try {
      openDatabaseExclusively(this, filename);
    } catch (error) {
      this.close();
      throw error;
    }
  }
}
