import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { DB_CONNECTION_FAILURE_CODES } from '@coffee/common';
import { databaseConfig, type DatabaseConfig } from '@coffee/config';
import { isEmbedded } from './data-source.options';
import { driverErrorCode } from './lock-retry';
import { withReadManager, type TenantScope } from './tenant-scope';

/** While the replicas are unreachable, how often a background check tries them again. */
export const REPLICA_PROBE_MS = 2000;
/** After a replica was found behind by more than DB_READ_WAIT_MS, reads skip the replicas this long. */
export const REPLICA_BEHIND_BACKOFF_MS = 1000;

/** A lost or refused connection (mysql2 flags errors that end a connection `fatal`), not a wrong query. */
function isConnectionLoss(error: unknown): boolean {
  const code = driverErrorCode(error);
  if (code && DB_CONNECTION_FAILURE_CODES.has(code)) return true;
  const driverError = (error as { driverError?: unknown } | null)?.driverError ?? error;
  return (driverError as { fatal?: unknown } | null)?.fatal === true;
}

/** How each server names its GTID position and the wait for it (both answer 0 once it is reached). */
interface GtidDialect {
  position: string;
  wait: string;
}
const MARIADB: GtidDialect = {
  position: 'SELECT @@GLOBAL.gtid_binlog_pos AS position',
  wait: 'SELECT MASTER_GTID_WAIT(?, ?) AS reached',
};
const MYSQL: GtidDialect = {
  position: 'SELECT @@GLOBAL.gtid_executed AS position',
  wait: 'SELECT WAIT_FOR_EXECUTED_GTID_SET(?, ?) AS reached',
};

/**
 * The one way to read from a replica (DB_READ_HOSTS). Everything else — every
 * write, transaction, auth and session check, plan limit, and the answer after
 * a write — runs on the primary, because TypeORM is configured to send nothing
 * to a replica unless asked (`defaultMode: 'master'`).
 *
 * A read goes to a replica only once the replica has applied every
 * transaction the primary had committed when the read started: it takes the
 * primary's GTID position (one trivial query there), and on a replica
 * connection waits for it at most DB_READ_WAIT_MS (MariaDB `MASTER_GTID_WAIT`,
 * MySQL `WAIT_FOR_EXECUTED_GTID_SET`), then runs the read on that same
 * connection. So a replica read never misses a write acknowledged before it
 * began: a list shows the order just placed, and a menu or dashboard built
 * after a version bump is never older than that version.
 *
 * Otherwise the read runs on the primary: replica behind (then the replicas
 * are skipped for {@link REPLICA_BEHIND_BACKOFF_MS}), replica unreachable or
 * its connection lost mid-read (skipped until a background check every
 * {@link REPLICA_PROBE_MS} reaches it again), or no GTID position to wait for
 * (binary log off; MySQL without `gtid_mode=ON`). A replica never turns a
 * read into an error the primary would not give.
 */
@Injectable()
export class ReadReplica implements OnApplicationShutdown {
  private readonly logger = new Logger(ReadReplica.name);
  /** True when DB_READ_HOSTS names replicas (never in embedded mode). */
  readonly enabled: boolean;
  private readonly waitSeconds: number;
  private dialectOf: Promise<GtidDialect> | undefined;
  private down = false;
  private behindUntil = 0;
  private probeTimer: NodeJS.Timeout | undefined;
  private probing = false;
  private lastBehindLog = 0;
  private noPositionLogged = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(databaseConfig.KEY) config: DatabaseConfig,
  ) {
    this.enabled = config.readReplicas.length > 0 && !isEmbedded(dataSource);
    this.waitSeconds = config.replicaWaitMs / 1000;
  }

  /** Runs the read-only `work` on a caught-up replica connection, else on the primary. */
  read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.route((replica) => work(replica ?? this.dataSource.manager));
  }

  /** {@link read} for tenant repositories: `work` gets the scope carrying the replica connection, or `scope` as is. */
  readIn<T>(scope: TenantScope, work: (scope: TenantScope) => Promise<T>): Promise<T> {
    return this.route((replica) => work(replica ? withReadManager(scope, replica) : scope));
  }

  onApplicationShutdown(): void {
    clearInterval(this.probeTimer);
    this.probeTimer = undefined;
  }

  private async route<T>(work: (replica: EntityManager | null) => Promise<T>): Promise<T> {
    const replica = await this.caughtUpReplica();
    if (!replica) return work(null);
    let lost: unknown;
    try {
      return await work(replica.manager);
    } catch (error) {
      if (!isConnectionLoss(error)) throw error;
      lost = error;
    } finally {
      await replica.release().catch(() => undefined);
    }
    // Reads change nothing: running one again on the primary is safe.
    this.markDown(lost);
    return work(null);
  }

  /** A replica connection that has applied what the primary had committed on entry; null: read the primary. */
  private async caughtUpReplica(): Promise<QueryRunner | null> {
    if (!this.enabled || this.down || Date.now() < this.behindUntil) return null;
    // On the primary: if it fails, the primary is away and the read would fail there anyway.
    const dialect = await this.dialect();
    const position = await this.primaryPosition(dialect);
    if (!position) return null;
    const runner = this.dataSource.createQueryRunner('slave');
    try {
      await runner.connect();
      const rows = (await runner.query(dialect.wait, [position, this.waitSeconds])) as { reached: unknown }[];
      // 0: reached; -1 (MariaDB) or 1 (MySQL): timed out; NULL: not a position it understands.
      if (String(rows[0]?.reached) === '0') return runner;
      this.markBehind();
    } catch (error) {
      this.markDown(error);
    }
    await runner.release().catch(() => undefined);
    return null;
  }

  private dialect(): Promise<GtidDialect> {
    this.dialectOf ??= this.dataSource.query<{ version: string }[]>('SELECT VERSION() AS version').then(
      ([row]) => (/mariadb/i.test(row?.version ?? '') ? MARIADB : MYSQL),
      (error: unknown) => {
        this.dialectOf = undefined;
        throw error;
      },
    );
    return this.dialectOf;
  }

  private async primaryPosition(dialect: GtidDialect): Promise<string | null> {
    const [row] = await this.dataSource.query<{ position: string | null }[]>(dialect.position);
    const position = row?.position?.trim() ?? '';
    if (position) return position;
    if (!this.noPositionLogged) {
      this.noPositionLogged = true;
      this.logger.warn(
        'The primary has no GTID position (binary log off, or MySQL without gtid_mode=ON): reads stay on the primary',
      );
    }
    return null;
  }

  private markBehind(): void {
    this.behindUntil = Date.now() + REPLICA_BEHIND_BACKOFF_MS;
    if (Date.now() - this.lastBehindLog < 60_000) return;
    this.lastBehindLog = Date.now();
    this.logger.warn(
      { waitMs: this.waitSeconds * 1000 },
      'Read replica behind the primary by more than DB_READ_WAIT_MS; its reads go to the primary for now',
    );
  }

  private markDown(error: unknown): void {
    if (this.down) return;
    this.down = true;
    this.logger.warn({ err: error }, 'Read replica failed; its reads go to the primary until it answers again');
    this.probeTimer = setInterval(() => void this.probe(), REPLICA_PROBE_MS);
    this.probeTimer.unref();
  }

  /** While down: connects to a replica and runs the wait (not waiting); success brings replica reads back. */
  private async probe(): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    const runner = this.dataSource.createQueryRunner('slave');
    try {
      const dialect = await this.dialect();
      const position = await this.primaryPosition(dialect);
      await runner.connect();
      await runner.query(dialect.wait, [position ?? '', 0]);
      this.down = false;
      clearInterval(this.probeTimer);
      this.probeTimer = undefined;
      this.logger.log('Read replica reachable again; replica reads resume');
    } catch {
      // still away; next tick
    } finally {
      this.probing = false;
      await runner.release().catch(() => undefined);
    }
  }
}
