import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, LessThan, type Repository } from 'typeorm';
import { IdempotencyKeyEntity } from './idempotency-key.entity';

@Injectable()
export class IdempotencyKeyRepository {
  constructor(@InjectRepository(IdempotencyKeyEntity) private readonly keys: Repository<IdempotencyKeyEntity>) {}

  /**
   * Deletes keys that expired before `now`, at most `batchSize` per statement so
   * a large backlog never holds long locks. Maintenance spans all tenants by
   * design; it is the only method here that does.
   */
  async purgeExpired(now: Date, batchSize = 500): Promise<number> {
    let purged = 0;
    for (;;) {
      const expired = await this.keys.find({
        select: { id: true },
        where: { expiresAt: LessThan(now) },
        order: { expiresAt: 'ASC' },
        take: batchSize,
      });
      if (expired.length === 0) return purged;
      const result = await this.keys.delete({ id: In(expired.map((row) => row.id)) });
      purged += result.affected ?? expired.length;
      if (expired.length < batchSize) return purged;
    }
  }
}
