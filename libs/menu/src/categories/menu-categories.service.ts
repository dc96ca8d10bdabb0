import { Injectable } from '@nestjs/common';
import { AppError, offsetPage, parseSort, type Page } from '@coffee/common';
import { TransactionRunner, withManager, type TenantScope } from '@coffee/database';
import { scopeOf, type TenantPrincipal } from '@coffee/tenancy';
import type { CategoryResponse, CreateCategoryDto, ListCategoriesQueryDto, UpdateCategoryDto } from '../dto/menu.dto';
import { MenuItemRepository } from '../items/menu-item.repository';
import { toCategoryResponse } from '../mappers';
import { MenuVersions } from '../public-menu/menu-versions';
import { MenuCategoryRepository, type CategorySortField } from './menu-category.repository';

const SORT_FIELDS: readonly CategorySortField[] = ['position', 'name', 'createdAt'];

@Injectable()
export class MenuCategoriesService {
  constructor(
    private readonly categories: MenuCategoryRepository,
    private readonly items: MenuItemRepository,
    private readonly transactions: TransactionRunner,
    private readonly versions: MenuVersions,
  ) {}

  async list(principal: TenantPrincipal, query: ListCategoriesQueryDto): Promise<Page<CategoryResponse>> {
    const sort = parseSort(query.sort, SORT_FIELDS, { field: 'position', direction: 'ASC' });
    const [rows, total] = await this.categories.list(
      scopeOf(principal),
      { ...(query.isActive !== undefined && { isActive: query.isActive }) },
      sort,
      query,
    );
    return offsetPage(rows.map(toCategoryResponse), total, query);
  }

  async get(principal: TenantPrincipal, id: string): Promise<CategoryResponse> {
    return toCategoryResponse(await this.require(scopeOf(principal), id));
  }

  async create(principal: TenantPrincipal, dto: CreateCategoryDto): Promise<CategoryResponse> {
    const category = await this.categories.insert(scopeOf(principal), {
      name: dto.name,
      description: dto.description ?? '',
      position: dto.position ?? 0,
      isActive: dto.isActive ?? true,
    });
    await this.versions.bump(principal.restaurantId);
    return toCategoryResponse(category);
  }

  async update(principal: TenantPrincipal, id: string, dto: UpdateCategoryDto): Promise<CategoryResponse> {
    const scope = scopeOf(principal);
    await this.require(scope, id);
    const patch = Object.fromEntries(Object.entries(dto).filter(([, value]) => value !== undefined));
    if (Object.keys(patch).length > 0) {
      await this.categories.update(scope, id, patch);
      await this.versions.bump(principal.restaurantId);
    }
    return toCategoryResponse(await this.require(scope, id));
  }

  /** Soft delete; a category that still holds items is kept (409) so nothing is orphaned. */
  async remove(principal: TenantPrincipal, id: string): Promise<void> {
    await this.transactions.run(async (manager) => {
      const tx = withManager(scopeOf(principal), manager);
      const category = await this.categories.findLive(tx, id);
      if (!category) throw AppError.notFound('Category');
      if ((await this.items.countLiveInCategory(tx, id)) > 0) {
        throw AppError.conflict('This category still has items; move or delete them first');
      }
      await this.categories.softDelete(tx, id);
    });
    await this.versions.bump(principal.restaurantId);
  }

  private async require(scope: TenantScope, id: string) {
    const category = await this.categories.findLive(scope, id);
    if (!category) throw AppError.notFound('Category');
    return category;
  }
}
