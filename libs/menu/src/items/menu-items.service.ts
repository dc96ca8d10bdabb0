import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppError, offsetPage, parseSort, type FieldError, type Page } from '@coffee/common';
import { TransactionRunner } from '@coffee/database';
import { PlanLimits, RestaurantRepository, type TenantPrincipal } from '@coffee/tenancy';
import { MenuCategoryRepository } from '../categories/menu-category.repository';
import type { CreateItemDto, ItemResponse, ListItemsQueryDto, ModifierGroupDto, UpdateItemDto } from '../dto/menu.dto';
import { toItemResponse } from '../mappers';
import { MenuVersions } from '../public-menu/menu-versions';
import {
  MenuItemRepository,
  type ItemAggregate,
  type ItemData,
  type ItemSortField,
  type NewModifierGroup,
} from './menu-item.repository';

const SORT_FIELDS: readonly ItemSortField[] = ['position', 'name', 'price', 'createdAt'];

/** Rules class-validator cannot express: min ≤ max ≤ number of options. */
export function modifierErrors(groups: ModifierGroupDto[] | undefined): FieldError[] {
  const errors: FieldError[] = [];
  (groups ?? []).forEach((group, i) => {
    if (group.minSelect > group.maxSelect) {
      errors.push({ field: `modifierGroups[${i}].minSelect`, message: 'minSelect must not exceed maxSelect' });
    }
    if (group.maxSelect > group.options.length) {
      errors.push({
        field: `modifierGroups[${i}].maxSelect`,
        message: 'maxSelect must not exceed the number of options',
      });
    }
  });
  return errors;
}

function toNewGroups(groups: ModifierGroupDto[]): NewModifierGroup[] {
  return groups.map((group) => ({
    name: group.name,
    minSelect: group.minSelect,
    maxSelect: group.maxSelect,
    options: group.options.map((option) => ({
      name: option.name,
      priceDelta: option.priceDelta,
      isAvailable: option.isAvailable ?? true,
    })),
  }));
}

@Injectable()
export class MenuItemsService {
  constructor(
    private readonly items: MenuItemRepository,
    private readonly categories: MenuCategoryRepository,
    private readonly restaurants: RestaurantRepository,
    private readonly limits: PlanLimits,
    private readonly transactions: TransactionRunner,
    private readonly versions: MenuVersions,
  ) {}

  async list(principal: TenantPrincipal, query: ListItemsQueryDto): Promise<Page<ItemResponse>> {
    const sort = parseSort(query.sort, SORT_FIELDS, { field: 'position', direction: 'ASC' });
    const filters = {
      ...(query.categoryId && { categoryId: query.categoryId }),
      ...(query.isAvailable !== undefined && { isAvailable: query.isAvailable }),
      ...(query.q && { q: query.q }),
    };
    const [rows, total] = await this.items.list(principal.restaurantId, filters, sort, query);
    const aggregates = await this.items.withModifiers(principal.restaurantId, rows);
    return offsetPage(aggregates.map(toItemResponse), total, query);
  }

  async get(principal: TenantPrincipal, id: string): Promise<ItemResponse> {
    return this.load(principal.restaurantId, id);
  }

  async create(principal: TenantPrincipal, dto: CreateItemDto): Promise<ItemResponse> {
    const errors = modifierErrors(dto.modifierGroups);
    if (errors.length > 0) throw AppError.validation(errors);
    const restaurantId = principal.restaurantId;
    const id = await this.transactions.run(async (manager) => {
      await this.assertWithinPlan(manager, restaurantId);
      await this.assertCategory(manager, restaurantId, dto.categoryId);
      const item = await this.items.insert(manager, restaurantId, {
        categoryId: dto.categoryId,
        name: dto.name,
        description: dto.description ?? '',
        price: dto.price,
        taxRateBps: dto.taxRateBps ?? 0,
        sku: dto.sku ?? null,
        isAvailable: dto.isAvailable ?? true,
        position: dto.position ?? 0,
      });
      if (dto.modifierGroups?.length)
        await this.items.replaceModifiers(manager, restaurantId, item.id, toNewGroups(dto.modifierGroups));
      return item.id;
    }, 'READ COMMITTED');
    await this.versions.bump(restaurantId);
    return this.load(restaurantId, id);
  }

  async update(principal: TenantPrincipal, id: string, dto: UpdateItemDto): Promise<ItemResponse> {
    const errors = modifierErrors(dto.modifierGroups);
    if (errors.length > 0) throw AppError.validation(errors);
    const restaurantId = principal.restaurantId;
    const { version, modifierGroups, ...fields } = dto;
    const patch = Object.fromEntries(
      Object.entries(fields).filter(([, value]) => value !== undefined),
    ) as Partial<ItemData>;
    await this.transactions.run(async (manager) => {
      if (patch.categoryId) await this.assertCategory(manager, restaurantId, patch.categoryId);
      if (!(await this.items.updateIfVersion(manager, restaurantId, id, version, patch))) {
        if (!(await this.items.findLive(restaurantId, id, manager))) throw AppError.notFound('Item');
        throw AppError.conflict('The item was changed by someone else; reload it and try again');
      }
      if (modifierGroups) await this.items.replaceModifiers(manager, restaurantId, id, toNewGroups(modifierGroups));
    });
    await this.versions.bump(restaurantId);
    return this.load(restaurantId, id);
  }

  async setAvailability(principal: TenantPrincipal, id: string, isAvailable: boolean): Promise<ItemResponse> {
    if (!(await this.items.setAvailability(principal.restaurantId, id, isAvailable))) throw AppError.notFound('Item');
    await this.versions.bump(principal.restaurantId);
    return this.load(principal.restaurantId, id);
  }

  /** Soft delete: gone from lists and the public menu; past orders keep their snapshot. */
  async remove(principal: TenantPrincipal, id: string): Promise<void> {
    if (!(await this.items.softDelete(principal.restaurantId, id))) throw AppError.notFound('Item');
    await this.versions.bump(principal.restaurantId);
  }

  /** Live items of this restaurant with their modifiers, for pricing an order (unknown ids are simply absent). */
  async findForOrder(restaurantId: string, ids: string[], manager?: EntityManager): Promise<ItemAggregate[]> {
    const items = await this.items.findLiveByIds(restaurantId, ids, manager);
    return this.items.withModifiers(restaurantId, items, manager);
  }

  private async load(restaurantId: string, id: string): Promise<ItemResponse> {
    const item = await this.items.findLive(restaurantId, id);
    if (!item) throw AppError.notFound('Item');
    const [aggregate] = await this.items.withModifiers(restaurantId, [item]);
    return toItemResponse(aggregate);
  }

  private async assertCategory(manager: EntityManager, restaurantId: string, categoryId: string): Promise<void> {
    if (!(await this.categories.findLive(restaurantId, categoryId, manager))) {
      throw AppError.validation([
        { field: 'categoryId', message: 'categoryId does not name a category of this restaurant' },
      ]);
    }
  }

  /** Holds the restaurant row lock while counting, so parallel creates cannot both pass the last slot. */
  private async assertWithinPlan(manager: EntityManager, restaurantId: string): Promise<void> {
    const limit = await this.limits.limitFor(restaurantId, 'menuItems', manager);
    if (limit === null) return;
    await this.restaurants.lockForUpdate(manager, restaurantId);
    if ((await this.items.countLive(manager, restaurantId)) >= limit) {
      throw new AppError('PLAN_LIMIT_REACHED', `Your plan allows ${limit} menu items`);
    }
  }
}
