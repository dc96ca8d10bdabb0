import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, type Repository } from 'typeorm';
import { AppError, uniqueOr, type SortSpec } from '@coffee/common';
import { repositoryIn, softDeleteLive, type TenantScope } from '@coffee/database';
import { MenuCategoryEntity } from './menu-category.entity';

export type CategorySortField = 'position' | 'name' | 'createdAt';
export type CategoryPatch = Partial<Pick<MenuCategoryEntity, 'name' | 'description' | 'position' | 'isActive'>>;

const nameTaken = (name: string): AppError => AppError.conflict(`A category named "${name}" already exists`);

/** Menu categories of one restaurant (every method takes the tenant scope first); soft-deleted rows are invisible here. */
@Injectable()
export class MenuCategoryRepository {
  constructor(@InjectRepository(MenuCategoryEntity) private readonly categories: Repository<MenuCategoryEntity>) {}

  private repo(scope: TenantScope): Repository<MenuCategoryEntity> {
    return repositoryIn(scope, MenuCategoryEntity, this.categories);
  }

  insert(
    scope: TenantScope,
    data: Pick<MenuCategoryEntity, 'name' | 'description' | 'position' | 'isActive'>,
  ): Promise<MenuCategoryEntity> {
    const repo = this.repo(scope);
    return uniqueOr(
      () => repo.save(repo.create({ ...data, restaurantId: scope.restaurantId, alive: 1 })),
      () => nameTaken(data.name),
    );
  }

  findLive(scope: TenantScope, id: string): Promise<MenuCategoryEntity | null> {
    return this.repo(scope).findOneBy({ restaurantId: scope.restaurantId, id, deletedAt: IsNull() });
  }

  list(
    scope: TenantScope,
    filters: { isActive?: boolean },
    sort: SortSpec<CategorySortField>,
    page: { limit: number; offset: number },
  ): Promise<[MenuCategoryEntity[], number]> {
    return this.repo(scope).findAndCount({
      where: {
        restaurantId: scope.restaurantId,
        deletedAt: IsNull(),
        ...(filters.isActive !== undefined && { isActive: filters.isActive }),
      },
      order: { [sort.field]: sort.direction, id: 'ASC' },
      take: page.limit,
      skip: page.offset,
    });
  }

  async update(scope: TenantScope, id: string, patch: CategoryPatch): Promise<void> {
    await uniqueOr(
      () => this.repo(scope).update({ restaurantId: scope.restaurantId, id, deletedAt: IsNull() }, patch),
      () => nameTaken(patch.name ?? ''),
    );
  }

  /** Names by id, soft-deleted categories included (reports name past sales by them). */
  async namesOf(scope: TenantScope, ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.repo(scope).find({
      select: { id: true, name: true },
      where: { restaurantId: scope.restaurantId, id: In(ids) },
      withDeleted: true,
    });
    return new Map(rows.map((row) => [row.id, row.name]));
  }

  softDelete(scope: TenantScope, id: string): Promise<boolean> {
    return softDeleteLive(scope, this.categories, id);
  }
}
