import { Logger as NestLogger } from '@nestjs/common';
import type { Logger as TypeOrmLogger, QueryRunner } from 'typeorm';
import { withoutSqlLiterals } from '@coffee/common';

// Waiting for a lock (a starting process for another's migrations) is expected, not slow work.
const LOCK_WAIT = /^\s*select\s+get_lock\s*\(/i;

/**
 * TypeORM's log lines through the application logger (pino JSON with request
 * ids) instead of console. A failed query is debug: the error reaches the
 * caller, which knows whether it was expected (a unique clash) or a bug (logged
 * by the error filter with its stack). Failed and slow statements are logged
 * without their parameters or quoted literals (the error itself goes through
 * the `err` serializer, which strips them too).
 */
export class TypeOrmNestLogger implements TypeOrmLogger {
  private readonly logger = new NestLogger('Database');

  constructor(private readonly logQueries: boolean) {}

  logQuery(query: string, parameters?: unknown[], _queryRunner?: QueryRunner): void {
    if (this.logQueries) this.logger.debug({ query, parameters }, 'query');
  }

  logQueryError(error: string | Error, query: string, _parameters?: unknown[], _queryRunner?: QueryRunner): void {
    this.logger.debug({ err: error, query: withoutSqlLiterals(query) }, 'query failed');
  }

  logQuerySlow(time: number, query: string, _parameters?: unknown[], _queryRunner?: QueryRunner): void {
    if (LOCK_WAIT.test(query)) return;
    this.logger.warn({ durationMs: time, query: withoutSqlLiterals(query) }, 'slow query');
  }

  logSchemaBuild(message: string, _queryRunner?: QueryRunner): void {
    this.logger.debug(message);
  }

  logMigration(message: string, _queryRunner?: QueryRunner): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown, _queryRunner?: QueryRunner): void {
    if (level === 'warn') this.logger.warn(message);
    else this.logger.log(message);
  }
}
