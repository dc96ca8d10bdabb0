import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, LessThan, type Repository } from 'typeorm';
import { isUniqueViolation } from '@coffee/common';
import { insertRows, newId, repositoryIn, updateRows, type TenantScope, type TransactionScope } from '@coffee/database';
import { IdempotencyKeyEntity } from './idempotency-key.entity';

/** Idempotency keys of one restaurant: every method but the purge takes the tenant scope first. */
@Injectable()
export class IdempotencyKeyRepository {
  constructor(@InjectRepository(IdempotencyKeyEntity) private readonly keys: Repository<IdempotencyKeyEntity>) {}

  /**
   * Claims a key inside the caller's transaction, before any other write. A
   * duplicate of a key in flight blocks on the unique index until that
   * transaction ends, then gets the clash: returns false, and the caller reads
   * the stored answer with {@link find}.
   */
  async claim(scope: TransactionScope, key: string, requestHash: string, ttlMs: number): Promise<string | false> {
    const id = newId();
    try {
      await insertRows(scope.manager, IdempotencyKeyEntity, [
        {
          id,
          restaurantId: scope.restaurantId,
          key,
          requestHash,
          status: 'in_progress',
          responseStatus: null,
          responseBody: null,
          expiresAt: new Date(Date.now() + ttlMs),
        },
      ]);
      return id;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async complete(scope: TransactionScope, id: string, responseStatus: number, responseBody: string): Promise<void> {
    await updateRows(
      scope.manager,
      IdempotencyKeyEntity,
      { restaurantId: scope.restaurantId, id },
      { status: 'completed', responseStatus, responseBody, updatedAt: new Date() },
    );
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
