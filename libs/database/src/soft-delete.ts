import { IsNull, type FindOptionsWhere, type Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import type { TenantScope } from './tenant-scope';

/** Rows deleted softly: `deleted_at` set and `alive` null, so unique indexes over `alive` free the name. */
export interface SoftDeletable {
  restaurantId: string;
  deletedAt: Date | null;
  alive: number | null;
}

/**
 * Soft-deletes the scope's live row with this id; false when there is none
 * (unknown, other tenant's, or already deleted). `repo` is used outside a
 * transaction; inside one, the scope's manager is.
 */
export async function softDeleteLive<T extends SoftDeletable>(
  scope: TenantScope,
  repo: Repository<T>,
  id: string,
): Promise<boolean> {
  const target = scope.manager ? scope.manager.getRepository<T>(repo.target) : repo;
  const live = { restaurantId: scope.restaurantId, id, deletedAt: IsNull() } as unknown as FindOptionsWhere<T>;
  const result = await target.update(live, {
    deletedAt: new Date(),
    alive: null,
  } as unknown as QueryDeepPartialEntity<T>);
  return (result.affected ?? 0) === 1;
}
