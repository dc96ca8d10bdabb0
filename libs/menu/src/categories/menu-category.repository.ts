import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type EntityManager, type Repository } from 'typeorm';
import { AppError, uniqueOr, type SortSpec } from '@coffee/common';
import { softDeleteLive } from '@coffee/database';
import { MenuCategoryEntity } from './menu-category.entity';

export type CategorySortField = 'position' | 'name' | 'createdAt';
export type CategoryPatch = Partial<Pick<MenuCategoryEntity, 'name' | 'description' | 'position' | 'isActive'>>;

const nameTaken = (name: string): AppError => AppError.conflict(`A category named "${name}" already exists`);

/** Menu categories of one restaurant; soft-deleted rows are invisible here. */
@Injectable()
export class MenuCategoryRepository {
  constructor(@InjectRepository(MenuCategoryEntity) private readonly categories: Repository<MenuCategoryEntity>) {}

  insert(
    restaurantId: string,
    data: Pick<MenuCategoryEntity, 'name' | 'description' | 'position' | 'isActive'>,
  ): Promise<MenuCategoryEntity> {
    return uniqueOr(
      () => this.categories.save(this.categories.create({ ...data, restaurantId, alive: 1 })),
      () => nameTaken(data.name),
    );
  }

  findLive(restaurantId: string, id: string, manager?: EntityManager): Promise<MenuCategoryEntity | null> {
    const repo = manager ? manager.getRepository(MenuCategoryEntity) : this.categories;
    return repo.findOneBy({ restaurantId, id, deletedAt: IsNull() });
  }

  list(
    restaurantId: string,
    filters: { isActive?: boolean },
    sort: SortSpec<CategorySortField>,
    page: { limit: number; offset: number },
  ): Promise<[MenuCategoryEntity[], number]> {
    return this.categories.findAndCount({
      where: {
        restaurantId,
        deletedAt: IsNull(),
        ...(filters.isActive !== undefined && { isActive: filters.isActive }),
      },
      order: { [sort.field]: sort.direction, id: 'ASC' },
      take: page.limit,
      skip: page.offset,
    });
  }

  async update(restaurantId: string, id: string, patch: CategoryPatch): Promise<void> {
    await uniqueOr(
      () => this.categories.update({ restaurantId, id, deletedAt: IsNull() }, patch),
      () => nameTaken(patch.name ?? ''),
    );
  }

  softDelete(restaurantId: string, id: string, manager: EntityManager): Promise<boolean> {
    return softDeleteLive(manager.getRepository(MenuCategoryEntity), { restaurantId, id });
  }
}
