import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type Repository } from 'typeorm';
import { ApiKeyEntity } from './api-key.entity';

@Injectable()
export class ApiKeyRepository {
  constructor(@InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>) {}

  insert(
    data: Pick<ApiKeyEntity, 'restaurantId' | 'name' | 'prefix' | 'keyHash' | 'scopes' | 'createdBy'>,
  ): Promise<ApiKeyEntity> {
    return this.keys.save(this.keys.create(data));
  }

  listActive(restaurantId: string, page: { limit: number; offset: number }): Promise<[ApiKeyEntity[], number]> {
    return this.keys.findAndCount({
      where: { restaurantId, revokedAt: IsNull() },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: page.limit,
      skip: page.offset,
    });
  }

  findActive(restaurantId: string, id: string): Promise<ApiKeyEntity | null> {
    return this.keys.findOneBy({ restaurantId, id, revokedAt: IsNull() });
  }

  async revoke(restaurantId: string, id: string, now: Date): Promise<boolean> {
    const result = await this.keys.update({ restaurantId, id, revokedAt: IsNull() }, { revokedAt: now });
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

  countActive(restaurantId: string): Promise<number> {
    return this.keys.countBy({ restaurantId, revokedAt: IsNull() });
  }
}
