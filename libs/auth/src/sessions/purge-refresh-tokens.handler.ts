import { Injectable, Logger } from '@nestjs/common';
import { HandlesJob, type JobHandler, type JobPayload } from '@coffee/queue';
import { RefreshTokenRepository } from './refresh-token.repository';

/** Maintenance: deletes refresh tokens past their expiry. Safe to run twice, and beside a running one. */
@Injectable()
@HandlesJob('maintenance.purge-refresh-tokens')
export class PurgeRefreshTokensHandler implements JobHandler<'maintenance.purge-refresh-tokens'> {
  private readonly logger = new Logger(PurgeRefreshTokensHandler.name);

  constructor(private readonly tokens: RefreshTokenRepository) {}

  async handle(payload: JobPayload<'maintenance.purge-refresh-tokens'>): Promise<{ purged: number }> {
    const now = payload.now === undefined ? new Date() : new Date(payload.now);
    if (Number.isNaN(now.getTime()))
      throw new Error(`maintenance.purge-refresh-tokens: "now" is not a date: ${payload.now}`);
    const purged = await this.tokens.purgeExpired(now);
    if (purged > 0) this.logger.log({ purged }, 'Purged expired refresh tokens');
    return { purged };
  }
}
