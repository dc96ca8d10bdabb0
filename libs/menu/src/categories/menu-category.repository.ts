import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type EntityManager, type Repository } from 'typeorm';
import { AppError, isUniqueViolation, type SortSpec } from '@coffee/common';
import { MenuCategoryEntity } from './menu-category.entity';

export type CategorySortField = 'position' | 'name' | 'createdAt';
export type CategoryPatch = Partial<Pick<MenuCategoryEntity, 'name' | 'description' | 'position' | 'isActive'>>;

const nameTaken = (name: string): AppError => AppError.conflict(`A category named "${name}" already exists`);

/** Menu categories of one restaurant; soft-deleted rows are invisible here. */
@Injectable()
export class MenuCategoryRepository {
  constructor(@InjectRepository(MenuCategoryEntity) private readonly categories: Repository<MenuCategoryEntity>) {}

  async insert(
    restaurantId: string,
    data: Pick<MenuCategoryEntity, 'name' | 'description' | 'position' | 'isActive'>,
  ): Promise<MenuCategoryEntity> {
    try {
      return await this.categories.save(this.categories.create({ ...data, restaurantId, alive: 1 }));
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(data.name);
      throw error;
    }
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
    try {
      await this.categories.update({ restaurantId, id, deletedAt: IsNull() }, patch);
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(patch.name ?? '');
      throw error;
    }
  }

  async softDelete(restaurantId: string, id: string, manager: EntityManager): Promise<boolean> {
    const result = await manager
      .getRepository(MenuCategoryEntity)
      .update({ restaurantId, id, deletedAt: IsNull() }, { deletedAt: new Date(), alive: null });
    return (result.affected ?? 0) === 1;
  }
}
