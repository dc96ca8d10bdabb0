import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type Repository } from 'typeorm';
import { repositoryIn, type TenantScope } from '@coffee/database';
import { ApiKeyEntity } from './api-key.entity';

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

  /** Authentication looks a presented key up by its prefix, across restaurants: the key names its tenant. */
  findLiveByPrefix(prefix: string): Promise<ApiKeyEntity | null> {
    return this.keys.findOneBy({ prefix, revokedAt: IsNull() });
  }

  /** Records use at most once a minute per key, so authentication is not a write per request. */
  async touch(id: string, now: Date): Promise<void> {
    await this.keys
      .createQueryBuilder()
      .update(ApiKeyEntity)
      .set({ lastUsedAt: now })
      .where('id = :id', { id })
      .andWhere('(last_used_at IS NULL OR last_used_at < :before)', { before: new Date(now.getTime() - 60_000) })
      .callListeners(false)
      .updateEntity(false)
      .execute();
  }

  countActive(scope: TenantScope): Promise<number> {
    return this.repo(scope).countBy({ restaurantId: scope.restaurantId, revokedAt: IsNull() });
  }
}
