/**
 * Driver error codes meaning the database could not be reached or dropped the
 * connection (refused, reset, timed out, too many connections, shutting
 * down), not that a statement was wrong. The error mapping answers them 503,
 * the circuit breaker counts them, read replicas fall back on them.
 */
export const DB_CONNECTION_FAILURE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
]);

/** The first error code on an error, its driver error or its causes. */
export function errorCodeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const { code } = current as { code?: unknown };
    if (typeof code === 'string' && code.length > 0) return code;
    current =
      (current as { driverError?: unknown; cause?: unknown }).driverError ?? (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** True for a unique-constraint violation on MySQL/MariaDB or SQLite. */
export function isUniqueViolation(error: unknown): boolean {
  const candidates = [error, (error as { driverError?: unknown } | null)?.driverError];
  return candidates.some((candidate) => {
    if (!candidate || typeof candidate !== 'object') return false;
    const { code, message } = candidate as { code?: unknown; message?: unknown };
    if (code === 'ER_DUP_ENTRY') return true;
    return typeof message === 'string' && /UNIQUE constraint failed/.test(message);
  });
}

/**
 * SQLite's primary result codes meaning the file could not be written or read
 * (I/O error, read-only, cannot open, disk full, file too large): the disk's
 * fault, not the statement's.
 */
const SQLITE_STORAGE_CODES = new Set([8, 10, 13, 14, 22]);

/** True when the embedded database could not write (or read) its file. */
export function isStorageFailure(error: unknown): boolean {
  const candidates = [error, (error as { driverError?: unknown } | null)?.driverError];
  return candidates.some((candidate) => {
    const errcode = (candidate as { errcode?: unknown } | null)?.errcode;
    return typeof errcode === 'number' && SQLITE_STORAGE_CODES.has(errcode & 0xff);
  });
}

/** Runs a write and turns a unique-constraint clash into the caller's named 409. */
export async function uniqueOr<T>(write: () => Promise<T>, conflict: () => Error): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict();
    throw error;
  }
}

/** Quoted SQL literals: what a driver message or an inlined query shows of the row's values. */
const SQL_LITERALS = /'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.)*"/g;

/** Replaces every quoted literal with `?`, so a message or query keeps its shape but not its values. */
export function withoutSqlLiterals(text: string): string {
  return text.replace(SQL_LITERALS, '?');
}

interface DriverErrorFields {
  type?: unknown;
  message?: unknown;
  stack?: unknown;
  code?: unknown;
  errno?: unknown;
  sqlState?: unknown;
  query?: unknown;
  driverError?: unknown;
  sql?: unknown;
  sqlMessage?: unknown;
  parameters?: unknown;
}

/**
 * A TypeORM QueryFailedError or a raw mysql2/SQLite driver error, either the
 * error itself or pino's serialized copy of it (which keeps every own field).
 */
export function isDatabaseError(error: unknown): error is DriverErrorFields & object {
  if (!error || typeof error !== 'object') return false;
  return ['driverError', 'parameters', 'sql', 'sqlMessage'].some((field) => field in error);
}

/**
 * What a log line may show of a database error: its kind, codes and the
 * statement's shape. Never the bound parameters (password hashes, emails,
 * tokens) nor the literals a driver message or an inlined statement quotes
 * ("Duplicate entry 'a@b.c'"). TypeORM copies the driver's fields (`sql`,
 * `sqlMessage`) onto its error, so this is a whitelist rather than a deletion.
 */
export function databaseErrorForLog(error: DriverErrorFields & object): Record<string, unknown> {
  const text = (value: unknown) => (typeof value === 'string' ? withoutSqlLiterals(value) : undefined);
  return {
    type: typeof error.type === 'string' ? error.type : error.constructor.name,
    message: text(error.message),
    stack: text(error.stack),
    code: error.code,
    errno: error.errno,
    sqlState: error.sqlState,
    query: text(error.query),
  };
}

/**
 * What error tracking may receive of a database error: its kind, and its
 * message and stack without quoted literals. Never the statement nor its bound
 * parameters, which stay on the original (TypeORM copies the driver's fields
 * onto it). Anything else is returned as it is.
 */
export function databaseErrorForReport(error: unknown): unknown {
  if (!(error instanceof Error) || !isDatabaseError(error)) return error;
  const report = new Error(withoutSqlLiterals(error.message));
  report.name = error.name;
  report.stack = error.stack === undefined ? undefined : withoutSqlLiterals(error.stack);
  return report;
}
