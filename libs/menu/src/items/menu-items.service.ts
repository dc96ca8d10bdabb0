import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AppError, offsetPage, parseSort, type FieldError, type Page } from '@coffee/common';
import { TransactionRunner, withManager, type TenantScope, type TransactionScope } from '@coffee/database';
import { IntegrationEvents, PlanLimits, scopeOf, UsageCounters, type TenantPrincipal } from '@coffee/tenancy';
import { MenuCategoryRepository } from '../categories/menu-category.repository';
import type { CreateItemDto, ItemResponse, ListItemsQueryDto, ModifierGroupDto, UpdateItemDto } from '../dto/menu.dto';
import { toItemResponse } from '../mappers';
import { MenuVersions } from '../public-menu/menu-versions';
import {
  MenuItemRepository,
  type OrderableItem,
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
export class MenuItemsService implements OnModuleInit {
  constructor(
    private readonly items: MenuItemRepository,
    private readonly categories: MenuCategoryRepository,
    private readonly limits: PlanLimits,
    private readonly usage: UsageCounters,
    private readonly transactions: TransactionRunner,
    private readonly versions: MenuVersions,
    private readonly integrationEvents: IntegrationEvents,
  ) {}

  /** Live (not deleted) items count against the plan's `maxMenuItems`. */
  onModuleInit(): void {
    this.usage.register('menuItems', (scope) => this.items.countLive(scope));
  }

  async list(principal: TenantPrincipal, query: ListItemsQueryDto): Promise<Page<ItemResponse>> {
    const sort = parseSort(query.sort, SORT_FIELDS, { field: 'position', direction: 'ASC' });
    const filters = {
      ...(query.categoryId && { categoryId: query.categoryId }),
      ...(query.isAvailable !== undefined && { isAvailable: query.isAvailable }),
      ...(query.q && { q: query.q }),
    };
    const scope = scopeOf(principal);
    const [rows, total] = await this.items.list(scope, filters, sort, query);
    const aggregates = await this.items.withModifiers(scope, rows);
    return offsetPage(aggregates.map(toItemResponse), total, query);
  }

  async get(principal: TenantPrincipal, id: string): Promise<ItemResponse> {
    return this.load(scopeOf(principal), id);
  }

  async create(principal: TenantPrincipal, dto: CreateItemDto): Promise<ItemResponse> {
    const errors = modifierErrors(dto.modifierGroups);
    if (errors.length > 0) throw AppError.validation(errors);
    const scope = scopeOf(principal);
    const id = await this.transactions.run(async (manager) => {
      const tx = withManager(scope, manager);
      await this.limits.assertRoomFor(tx, 'menuItems');
      await this.assertCategory(tx, dto.categoryId);
      const item = await this.items.insert(tx, {
        categoryId: dto.categoryId,
        name: dto.name,
        description: dto.description ?? '',
        price: dto.price,
        taxRateBps: dto.taxRateBps ?? 0,
        sku: dto.sku ?? null,
        isAvailable: dto.isAvailable ?? true,
        position: dto.position ?? 0,
      });
      if (dto.modifierGroups?.length) await this.items.replaceModifiers(tx, item.id, toNewGroups(dto.modifierGroups));
      return item.id;
    }, 'READ COMMITTED');
    await this.versions.bump(scope.restaurantId);
    return this.load(scope, id);
  }

  async update(principal: TenantPrincipal, id: string, dto: UpdateItemDto): Promise<ItemResponse> {
    const errors = modifierErrors(dto.modifierGroups);
    if (errors.length > 0) throw AppError.validation(errors);
    const scope = scopeOf(principal);
    const { version, modifierGroups, ...fields } = dto;
    const patch = Object.fromEntries(
      Object.entries(fields).filter(([, value]) => value !== undefined),
    ) as Partial<ItemData>;
    await this.transactions.run(async (manager) => {
      const tx = withManager(scope, manager);
      if (patch.categoryId) await this.assertCategory(tx, patch.categoryId);
      // Read only when availability may change: a change is an event, like the 86 toggle.
      const before = patch.isAvailable === undefined ? null : await this.items.findLive(tx, id);
      if (!(await this.items.updateIfVersion(tx, id, version, patch))) {
        if (!(await this.items.findLive(tx, id))) throw AppError.notFound('Item');
        throw AppError.conflict('The item was changed by someone else; reload it and try again');
      }
      if (modifierGroups) await this.items.replaceModifiers(tx, id, toNewGroups(modifierGroups));
      if (before && before.isAvailable !== patch.isAvailable) {
        const item = await this.load(tx, id);
        await this.integrationEvents.record(tx, { type: 'menu.item_availability_changed', data: { item } });
      }
    });
    await this.versions.bump(scope.restaurantId);
    return this.load(scope, id);
  }

  /** The "86" toggle; the `menu.item_availability_changed` event is written in its transaction. */
  async setAvailability(principal: TenantPrincipal, id: string, isAvailable: boolean): Promise<ItemResponse> {
    const scope = scopeOf(principal);
    const item = await this.transactions.run(async (manager) => {
      const tx = withManager(scope, manager);
      if (!(await this.items.setAvailability(tx, id, isAvailable))) throw AppError.notFound('Item');
      const changed = await this.load(tx, id);
      await this.integrationEvents.record(tx, { type: 'menu.item_availability_changed', data: { item: changed } });
      return changed;
    });
    await this.versions.bump(scope.restaurantId);
    return item;
  }

  /** Soft delete: gone from lists and the public menu; past orders keep their snapshot. */
  async remove(principal: TenantPrincipal, id: string): Promise<void> {
    if (!(await this.items.softDelete(scopeOf(principal), id))) throw AppError.notFound('Item');
    await this.versions.bump(principal.restaurantId);
  }

  /**
   * Live items of the scope's restaurant with their modifiers, for pricing an
   * order (unknown ids are simply absent); in the scope's transaction if it has one.
   */
  findForOrder(scope: TenantScope, ids: string[]): Promise<OrderableItem[]> {
    return this.items.findOrderable(scope, ids);
  }

  private async load(scope: TenantScope, id: string): Promise<ItemResponse> {
    const item = await this.items.findLive(scope, id);
    if (!item) throw AppError.notFound('Item');
    const [aggregate] = await this.items.withModifiers(scope, [item]);
    return toItemResponse(aggregate);
  }

  private async assertCategory(tx: TransactionScope, categoryId: string): Promise<void> {
    if (!(await this.categories.findLive(tx, categoryId))) {
      throw AppError.validation([
        { field: 'categoryId', message: 'categoryId does not name a category of this restaurant' },
      ]);
    }
  }
}
