import { closeSync, mkdirSync, openSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { databaseConfig, type DatabaseConfig } from '@coffee/config';
import { isEmbedded } from '../data-source.options';
import { fsyncPath } from './database-file';
import type { NodeSqliteConnection } from './node-sqlite-connection';

/**
 * Embedded mode: a complete copy of the database at start and every
 * `SQLITE_BACKUP_INTERVAL_MINUTES`, taken online (SQLite's backup API, while
 * writes go on) into `SQLITE_BACKUP_DIR`, keeping the newest `SQLITE_BACKUP_KEEP`.
 * Each copy is written to a temporary name, synced, then renamed, so a file
 * with a backup's name is always whole. Restoring is starting on a copy of one.
 */
@Injectable()
export class EmbeddedBackups implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(EmbeddedBackups.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<string | undefined> | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(databaseConfig.KEY) private readonly config: DatabaseConfig,
  ) {}

  onApplicationBootstrap(): void {
    const { intervalMinutes } = this.config.backups;
    if (!isEmbedded(this.dataSource) || intervalMinutes === 0) return;
    void this.takeBackup();
    this.timer = setInterval(() => void this.takeBackup(), intervalMinutes * 60_000);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Takes a backup unless one is running; resolves to its path, or undefined when it failed. */
  takeBackup(): Promise<string | undefined> {
    this.running ??= this.backUp().finally(() => (this.running = undefined));
    return this.running;
  }

  private async backUp(): Promise<string | undefined> {
    const { directory, keep } = this.config.backups;
    const name = basename(this.config.sqlitePath, extname(this.config.sqlitePath));
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const target = join(directory, `${name}-${stamp}.sqlite`);
    const partial = `${target}.partial`;
    try {
      mkdirSync(directory, { recursive: true, mode: 0o700 });
      // Created first so the copy gets 0600: it holds password and key hashes too.
      closeSync(openSync(partial, 'wx', 0o600));
      const connection = (this.dataSource.driver as unknown as { databaseConnection: NodeSqliteConnection })
        .databaseConnection;
      await connection.backup(partial);
      fsyncPath(partial);
      renameSync(partial, target);
      fsyncPath(directory);
      this.prune(directory, name, keep);
      this.logger.log(`Backed up the embedded database to ${target}`);
      return target;
    } catch (error) {
      rmSync(partial, { force: true });
      this.logger.error({ err: error }, `Could not back up the embedded database to ${directory}`);
      return undefined;
    }
  }

  /** Keeps the newest `keep` backups, and removes copies a killed process left half-written. */
  private prune(directory: string, name: string, keep: number): void {
    const prefix = `${name}-`;
    const files = readdirSync(directory).filter((file) => file.startsWith(prefix));
    const backups = files.filter((file) => file.endsWith('.sqlite')).sort();
    const stale = files.filter((file) => file.endsWith('.partial'));
    for (const old of [...backups.slice(0, Math.max(0, backups.length - keep)), ...stale])
      rmSync(join(directory, old), { force: true });
  }
}
