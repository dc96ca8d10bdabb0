import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type Repository } from 'typeorm';
import type { ApiKeyScope } from '@coffee/common';
import { rawDate, repositoryIn, type TenantScope } from '@coffee/database';
import type { RestaurantStatus, SubscriptionStanding, TenantStanding } from '@coffee/tenancy';
import { ApiKeyEntity } from './api-key.entity';

/** How often a key's `lastUsedAt` is written at most. */
export const TOUCH_EVERY_MS = 60_000;

/** A live key as authentication needs it, with its restaurant's standing now. */
export interface LiveApiKey {
  id: string;
  restaurantId: string;
  keyHash: string;
  scopes: ApiKeyScope[];
  lastUsedAt: Date | null;
  standing: TenantStanding;
}

// Plain SQL (identical on MySQL and SQLite): the unique prefix index, then primary keys.
const LIVE_KEY_SQL = `SELECT k.id, k.restaurant_id AS restaurantId, k.key_hash AS keyHash, k.scopes, k.last_used_at AS lastUsedAt,
  r.status AS restaurantStatus, s.status AS subscriptionStatus, s.past_due_since AS pastDueSince
FROM api_keys k LEFT JOIN restaurants r ON r.id = k.restaurant_id LEFT JOIN subscriptions s ON s.restaurant_id = k.restaurant_id
WHERE k.prefix = ? AND k.revoked_at IS NULL`;

/**
 * API keys of restaurants. Management (create, list, revoke, count) takes the
 * tenant scope first; verification (by prefix, then `touch` by id) runs before
 * anyone is authenticated, so it is platform-wide by design: the presented key
 * itself names its restaurant.
 */
@Injectable()
export class ApiKeyRepository {
  constructor(@InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>) {}

  private repo(scope: TenantScope): Repository<ApiKeyEntity> {
    return repositoryIn(scope, ApiKeyEntity, this.keys);
  }

  insert(
    scope: TenantScope,
    data: Pick<ApiKeyEntity, 'name' | 'prefix' | 'keyHash' | 'scopes' | 'createdBy'>,
  ): Promise<ApiKeyEntity> {
    const repo = this.repo(scope);
    return repo.save(repo.create({ ...data, restaurantId: scope.restaurantId }));
  }

  listActive(scope: TenantScope, page: { limit: number; offset: number }): Promise<[ApiKeyEntity[], number]> {
    return this.keys.findAndCount({
      where: { restaurantId: scope.restaurantId, revokedAt: IsNull() },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: page.limit,
      skip: page.offset,
    });
  }

  findActive(scope: TenantScope, id: string): Promise<ApiKeyEntity | null> {
    return this.repo(scope).findOneBy({ restaurantId: scope.restaurantId, id, revokedAt: IsNull() });
  }

  async revoke(scope: TenantScope, id: string, now: Date): Promise<boolean> {
    const result = await this.repo(scope).update(
      { restaurantId: scope.restaurantId, id, revokedAt: IsNull() },
      { revokedAt: now },
    );
    return (result.affected ?? 0) === 1;
  }

  /**
   * Authentication looks a presented key up by its prefix, across restaurants
   * (the key names its tenant), with its restaurant's standing: one round trip
   * for everything a key's request is checked against, as a session's is
   * (RefreshTokenRepository.liveSession).
   */
  async findLiveByPrefix(prefix: string): Promise<LiveApiKey | null> {
    const rows: {
      id: string;
      restaurantId: string;
      keyHash: string;
      scopes: string;
      lastUsedAt: unknown;
      restaurantStatus: RestaurantStatus | null;
      subscriptionStatus: SubscriptionStanding['status'] | null;
      pastDueSince: unknown;
    }[] = await this.keys.query(LIVE_KEY_SQL, [prefix]);
    const row = rows[0];
    if (!row) return null;
    return {
      id: row.id,
      restaurantId: row.restaurantId,
      keyHash: row.keyHash,
      scopes: row.scopes.split(' ').filter((scope) => scope.length > 0) as ApiKeyScope[],
      lastUsedAt: rawDate(row.lastUsedAt),
      standing: {
        restaurantStatus: row.restaurantStatus,
        subscription: row.subscriptionStatus
          ? { status: row.subscriptionStatus, pastDueSince: rawDate(row.pastDueSince) }
          : null,
      },
    };
  }

  /** Records use at most once a minute per key, so authentication is not a write per request. */
  async touch(id: string, now: Date): Promise<void> {
    await this.keys
      .createQueryBuilder()
      .update(ApiKeyEntity)
      .set({ lastUsedAt: now })
      .where('id = :id', { id })
      .andWhere('(last_used_at IS NULL OR last_used_at < :before)', {
        before: new Date(now.getTime() - TOUCH_EVERY_MS),
      })
      .callListeners(false)
      .updateEntity(false)
      .execute();
  }

  countActive(scope: TenantScope): Promise<number> {
    return this.repo(scope).countBy({ restaurantId: scope.restaurantId, revokedAt: IsNull() });
  }
}
