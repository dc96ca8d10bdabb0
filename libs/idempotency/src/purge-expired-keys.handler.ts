import { Injectable, Logger } from '@nestjs/common';
import { HandlesJob, type JobHandler, type JobPayload } from '@coffee/queue';
import { IdempotencyKeyRepository } from './idempotency-key.repository';

/** Maintenance: drops idempotency keys past their retention (≥ 24 h). Safe to run twice. */
@Injectable()
@HandlesJob('maintenance.purge-expired')
export class PurgeExpiredIdempotencyKeysHandler implements JobHandler<'maintenance.purge-expired'> {
  private readonly logger = new Logger(PurgeExpiredIdempotencyKeysHandler.name);

  constructor(private readonly keys: IdempotencyKeyRepository) {}

  async handle(payload: JobPayload<'maintenance.purge-expired'>): Promise<{ purged: number }> {
    const now = payload.now ? new Date(payload.now) : new Date();
    const purged = await this.keys.purgeExpired(now);
    if (purged > 0) this.logger.log({ purged }, 'Purged expired idempotency keys');
    return { purged };
  }
}
