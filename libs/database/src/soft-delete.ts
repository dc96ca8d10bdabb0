import { IsNull, type FindOptionsWhere, type Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';

/** Rows deleted softly: `deleted_at` set and `alive` null, so unique indexes over `alive` free the name. */
export interface SoftDeletable {
  deletedAt: Date | null;
  alive: number | null;
}

/** Soft-deletes the live row matching `where`; false when there is none (unknown, other tenant's, or already deleted). */
export async function softDeleteLive<T extends SoftDeletable>(
  repo: Repository<T>,
  where: FindOptionsWhere<T>,
): Promise<boolean> {
  const live = { ...where, deletedAt: IsNull() } as FindOptionsWhere<T>;
  const result = await repo.update(live, {
    deletedAt: new Date(),
    alive: null,
  } as unknown as QueryDeepPartialEntity<T>);
  return (result.affected ?? 0) === 1;
}
