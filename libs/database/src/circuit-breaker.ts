import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import CircuitBreaker from 'opossum';
import type { DataSource } from 'typeorm';
import { DB_CONNECTION_FAILURE_CODES, errorCodeOf } from '@coffee/common';
import type { DatabaseConfig } from '@coffee/config';
import { isEmbedded } from './data-source.options';

/** Our own codes for a pool that gave no connection: too slow, or too many already waiting. */
export const POOL_ACQUIRE_TIMEOUT = 'POOL_ACQUIRE_TIMEOUT';
export const POOL_QUEUE_FULL = 'POOL_QUEUE_FULL';
/** The code of {@link DatabaseUnavailableError}: refused by the breaker, the pool never asked. */
export const CIRCUIT_OPEN = 'CIRCUIT_OPEN';

/**
 * Errors meaning "the database cannot be reached", the only ones the breaker
 * counts. A statement the server refused (duplicate key, lock wait timeout,
 * deadlock, bad SQL) proves the server is there and never opens it.
 */
const CONNECTION_FAILURES = new Set([...DB_CONNECTION_FAILURE_CODES, POOL_ACQUIRE_TIMEOUT, CIRCUIT_OPEN]);

/** True when `error` says the database could not be reached (see CONNECTION_FAILURES). */
export function isConnectionFailure(error: unknown): boolean {
  const code = errorCodeOf(error);
  return code !== undefined && CONNECTION_FAILURES.has(code);
}

export type CircuitState = 'closed' | 'half-open' | 'open';

/** The `db_circuit_state` gauge's values. */
export const CIRCUIT_STATE_VALUES: Readonly<Record<CircuitState, number>> = { closed: 0, 'half-open': 1, open: 2 };

/** Opossum's flags as one state. */
export function circuitStateOf(flags: { opened: boolean; halfOpen: boolean }): CircuitState {
  if (flags.opened) return 'open';
  return flags.halfOpen ? 'half-open' : 'closed';
}

/**
 * Thrown instead of waiting on the pool while the breaker is open (or half
 * open with its probe in flight); the error filter answers 503
 * SERVICE_UNAVAILABLE with `Retry-After` set to the time left before the next probe.
 */
export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
  readonly code = CIRCUIT_OPEN;

  constructor(readonly retryAfterSeconds: number) {
    super('The database is unreachable; not trying it again before the next probe');
  }
}

/** The pool's error for a full queue has no code; give it one so it reads as 503, not 500. */
function poolError(code: string, message: string, cause?: unknown): Error {
  return Object.assign(new Error(message, { cause }), { code });
}

interface PooledConnection {
  release(): void;
}

type Acquire = () => Promise<PooledConnection>;

/** What the breaker needs of TypeORM's MysqlDriver: where every query runner gets its connection. */
interface PoolDriver {
  isReplicated?: boolean;
  obtainMasterConnection(): Promise<PooledConnection>;
  obtainSlaveConnection(): Promise<PooledConnection>;
  /** mysql2's pool; its waiting callbacks are not public API but stable across mysql2 3.x. */
  pool?: { _connectionQueue?: { length: number; shift(): unknown } };
}

export type BreakerSettings = DatabaseConfig['breaker'] & Pick<DatabaseConfig, 'acquireTimeoutMs'>;

interface BreakerEvents {
  /** A call refused without reaching the pool. */
  rejected: [];
  /** A call that failed because the database could not be reached (its code). */
  failed: [code: string];
  state: [state: CircuitState];
}

/**
 * A circuit breaker (opossum) at the one place every MySQL/MariaDB query gets
 * its connection: TypeORM's `MysqlDriver.obtainMasterConnection`, used by every
 * query runner (repositories, `DataSource.query`, transactions, the readiness
 * ping). While the database is unreachable, queries fail at once with
 * {@link DatabaseUnavailableError} instead of each waiting for the connect
 * timeout and queueing on the pool behind the others.
 *
 * - **Closed**: connections are acquired as usual, within `acquireTimeoutMs`.
 *   Only connection failures count (see {@link isConnectionFailure}).
 * - **Open** when more than `errorThresholdPercent` of at least `minimumRequests`
 *   acquisitions in the rolling `windowMs` failed: calls are refused at once,
 *   and those already waiting on the pool are refused too.
 * - **Half-open** after `resetTimeoutMs`: one call goes through as the probe
 *   (the others are still refused); its success closes the breaker, its
 *   failure opens it for another `resetTimeoutMs`. Recovery needs no restart.
 *
 * The embedded SQLite runs inside the process: there is no connection to
 * lose and no pool to queue on, and a failing disk already answers fast
 * (STORAGE_UNAVAILABLE), so there the breaker does nothing.
 */
export class DatabaseCircuitBreaker extends EventEmitter<BreakerEvents> implements OnApplicationShutdown {
  private readonly logger = new Logger('Database');
  private readonly breaker: CircuitBreaker<[Acquire], PooledConnection> | undefined;
  private openedAt = 0;
  /** Half-open since the last open: an open now means the probe failed. */
  private probing = false;

  /** Guards `dataSource`'s pool; a breaker that does nothing in embedded mode. */
  static forDataSource(dataSource: DataSource, settings: BreakerSettings): DatabaseCircuitBreaker {
    const driver = isEmbedded(dataSource) ? undefined : (dataSource.driver as unknown as PoolDriver);
    return new DatabaseCircuitBreaker(driver, settings);
  }

  constructor(
    private readonly driver: PoolDriver | undefined,
    private readonly settings: BreakerSettings,
  ) {
    super();
    if (!driver) return;
    const breaker = new CircuitBreaker((acquire: Acquire) => this.acquireWithin(acquire), {
      name: 'database',
      enabled: settings.enabled,
      // acquireWithin bounds the wait itself, so that a connection arriving late goes back to the pool.
      timeout: false,
      resetTimeout: settings.resetTimeoutMs,
      errorThresholdPercentage: settings.errorThresholdPercent,
      volumeThreshold: settings.minimumRequests,
      rollingCountTimeout: settings.windowMs,
      rollingCountBuckets: 10,
      rollingPercentilesEnabled: false,
      errorFilter: (error: unknown) => !isConnectionFailure(error),
    });
    breaker.on('reject', () => this.emit('rejected'));
    breaker.on('failure', (error: unknown) => {
      const code = errorCodeOf(error) ?? 'unknown';
      // A waiter refused when the breaker opened (see opened()) is counted as rejected, not as a failure.
      if (code !== CIRCUIT_OPEN) this.emit('failed', code);
    });
    breaker.on('halfOpen', () => {
      this.probing = true;
      this.logger.log('Database circuit half-open: the next query probes the database');
      this.emit('state', 'half-open');
    });
    breaker.on('open', () => this.opened());
    breaker.on('close', () => {
      this.probing = false;
      this.logger.log('Database circuit closed: the database answers again');
      this.emit('state', 'closed');
    });
    this.breaker = breaker;

    const obtainMaster = driver.obtainMasterConnection.bind(driver);
    driver.obtainMasterConnection = () => this.acquire(obtainMaster);
    // Replicas (DB_READ_HOSTS) stay outside this breaker: a replica that fails
    // must not refuse the primary's queries. ReadReplica falls back to the
    // primary and checks the replica apart (read-replica.ts).
  }

  /** False in embedded mode: there is nothing to guard. */
  get applies(): boolean {
    return this.breaker !== undefined;
  }

  get state(): CircuitState {
    return this.breaker ? circuitStateOf(this.breaker) : 'closed';
  }

  /** Nest calls this once requests have drained; later queries (pool closing) go straight to the driver. */
  onApplicationShutdown(): void {
    this.breaker?.shutdown();
  }

  private async acquire(obtain: Acquire): Promise<PooledConnection> {
    const breaker = this.breaker;
    if (!breaker || breaker.isShutdown) return obtain();
    try {
      return await breaker.fire(obtain);
    } catch (error) {
      if (error instanceof Error && CircuitBreaker.isOurError(error)) throw this.unavailable();
      throw error;
    }
  }

  /** mysql2 has no acquire timeout: a query would wait on the pool's queue for as long as the connects take. */
  private acquireWithin(obtain: Acquire): Promise<PooledConnection> {
    const timeoutMs = this.settings.acquireTimeoutMs;
    return new Promise((resolve, reject) => {
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        reject(poolError(POOL_ACQUIRE_TIMEOUT, `No database connection within ${timeoutMs} ms`));
      }, timeoutMs);
      obtain().then(
        (connection) => {
          // Its caller has had its answer: the connection goes back to the pool.
          if (timedOut) connection.release();
          else {
            clearTimeout(timer);
            resolve(connection);
          }
        },
        // The driver rejects with mysql2's (or TypeORM's) Error.
        (error: Error) => {
          clearTimeout(timer);
          const queueFull = error.message === 'Queue limit reached.';
          reject(queueFull ? poolError(POOL_QUEUE_FULL, 'Too many queries waiting for a connection', error) : error);
        },
      );
    });
  }

  private opened(): void {
    this.openedAt = Date.now();
    const stats = this.breaker?.stats;
    const details = { failures: stats?.failures, attempts: stats?.fires, retryInMs: this.settings.resetTimeoutMs };
    // Warn when the outage starts; each failed probe during it is not news.
    if (this.probing) this.logger.debug(details, 'Database circuit probe failed: still open');
    else
      this.logger.warn(details, 'Database circuit open: queries fail fast with 503 until a probe reaches the database');
    this.probing = false;
    this.emit('state', 'open');
    // Those already queued wait for connects that fail like the ones that opened the breaker.
    const queue = this.driver?.pool?._connectionQueue;
    if (!queue || typeof queue.shift !== 'function') return;
    for (let waiting = queue.length; waiting > 0; waiting--) {
      const callback = queue.shift();
      if (typeof callback !== 'function') continue;
      this.emit('rejected');
      (callback as (error: Error) => void)(this.unavailable());
    }
  }

  private unavailable(): DatabaseUnavailableError {
    const untilProbeMs = this.openedAt + this.settings.resetTimeoutMs - Date.now();
    return new DatabaseUnavailableError(Math.max(1, Math.ceil(untilProbeMs / 1000)));
  }
}
