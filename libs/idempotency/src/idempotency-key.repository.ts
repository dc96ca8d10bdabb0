import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, LessThan, type Repository } from 'typeorm';
import { isUniqueViolation } from '@coffee/common';
import { insertRows, newId, repositoryIn, type TenantScope, type TransactionScope } from '@coffee/database';
import { IdempotencyKeyEntity } from './idempotency-key.entity';

/** Idempotency keys of one restaurant: every method but the purge takes the tenant scope first. */
@Injectable()
export class IdempotencyKeyRepository {
  constructor(@InjectRepository(IdempotencyKeyEntity) private readonly keys: Repository<IdempotencyKeyEntity>) {}

  /**
   * Stores a key with its answer inside the caller's transaction, or returns
   * false when the restaurant has used the key already. A key written by a
   * transaction still running makes this wait on the unique index until that
   * one ends: then it is taken (committed) or free (rolled back). The caller
   * rolls back on false and reads the stored answer with {@link find}.
   */
  async record(
    scope: TransactionScope,
    answer: { key: string; requestHash: string; ttlMs: number; status: number; body: unknown },
  ): Promise<boolean> {
    try {
      await insertRows(scope.manager, IdempotencyKeyEntity, [
        {
          id: newId(),
          restaurantId: scope.restaurantId,
          key: answer.key,
          requestHash: answer.requestHash,
          status: 'completed',
          responseStatus: answer.status,
          responseBody: JSON.stringify(answer.body),
          expiresAt: new Date(Date.now() + answer.ttlMs),
        },
      ]);
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  /** Give the scope the transaction's manager when inside one: a second pooled connection per request can starve the pool. */
  find(scope: TenantScope, key: string): Promise<IdempotencyKeyEntity | null> {
    return repositoryIn(scope, IdempotencyKeyEntity, this.keys).findOneBy({ restaurantId: scope.restaurantId, key });
  }

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
