import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, In, IsNull, type Repository } from 'typeorm';
import { AppError, isUniqueViolation, type SortSpec } from '@coffee/common';
import { moneyTransformer, newId, repositoryIn, type TenantScope, type TransactionScope } from '@coffee/database';
import { MenuItemEntity } from './menu-item.entity';
import { ModifierGroupEntity, ModifierOptionEntity } from './modifier.entities';

export type ItemSortField = 'position' | 'name' | 'price' | 'createdAt';

export interface ItemFilters {
  categoryId?: string;
  isAvailable?: boolean;
  q?: string;
}

export type ItemData = Pick<
  MenuItemEntity,
  'categoryId' | 'name' | 'description' | 'price' | 'taxRateBps' | 'sku' | 'isAvailable' | 'position'
>;

export interface NewModifierGroup {
  name: string;
  minSelect: number;
  maxSelect: number;
  options: { name: string; priceDelta: number; isAvailable: boolean }[];
}

/** An item with its modifier groups and their options, in position order. */
export interface ItemAggregate {
  item: MenuItemEntity;
  groups: { group: ModifierGroupEntity; options: ModifierOptionEntity[] }[];
}

/** What pricing an order needs of a live item: its price, tax and availability, and its groups with every option. */
export interface OrderableItem {
  item: {
    id: string;
    categoryId: string;
    name: string;
    price: number;
    taxRateBps: number;
    isAvailable: boolean;
  };
  groups: {
    group: { id: string; name: string; minSelect: number; maxSelect: number };
    options: { id: string; name: string; priceDelta: number; isAvailable: boolean }[];
  }[];
}

interface OrderableRow {
  id: string;
  categoryId: string;
  name: string;
  price: unknown;
  taxRateBps: number | string;
  isAvailable: unknown;
  groupId: string | null;
  groupName: string;
  minSelect: number | string;
  maxSelect: number | string;
  optionId: string | null;
  optionName: string;
  priceDelta: unknown;
  optionAvailable: unknown;
}

// Items, groups and options in one round trip (groups and options in position order); both joins follow an index
// that starts with restaurant_id. An item's rows are its groups times their options: a few dozen at most.
const ORDERABLE_SQL = (ids: number) => `SELECT i.id, i.category_id AS categoryId, i.name, i.price,
  i.tax_rate_bps AS taxRateBps, i.is_available AS isAvailable,
  g.id AS groupId, g.name AS groupName, g.min_select AS minSelect, g.max_select AS maxSelect,
  o.id AS optionId, o.name AS optionName, o.price_delta AS priceDelta, o.is_available AS optionAvailable
FROM menu_items i
LEFT JOIN modifier_groups g ON g.restaurant_id = i.restaurant_id AND g.item_id = i.id
LEFT JOIN modifier_options o ON o.restaurant_id = g.restaurant_id AND o.group_id = g.id
WHERE i.restaurant_id = ? AND i.deleted_at IS NULL AND i.id IN (${Array.from({ length: ids }, () => '?').join(', ')})
ORDER BY i.id, g.position, g.id, o.position, o.id`;

// mysql2 gives TINYINT(1) as a number, node:sqlite an integer: 1 is true.
const isTrue = (value: unknown): boolean => Number(value) === 1;

function conflictFor(error: unknown): unknown {
  if (!isUniqueViolation(error)) return error;
  const { message } = error as { message?: unknown };
  const onSku = typeof message === 'string' && /sku/i.test(message);
  return AppError.conflict(onSku ? 'Another item has this SKU' : 'Another item has this name');
}

/**
 * Menu items of one restaurant with their modifiers (stored in their own
 * tables so orders can reference option ids). Every method takes the tenant
 * scope first; the writes that must share a transaction take a TransactionScope.
 */
@Injectable()
export class MenuItemRepository {
  constructor(@InjectRepository(MenuItemEntity) private readonly items: Repository<MenuItemEntity>) {}

  private repo(scope: TenantScope): Repository<MenuItemEntity> {
    return repositoryIn(scope, MenuItemEntity, this.items);
  }

  async insert(scope: TransactionScope, data: ItemData): Promise<MenuItemEntity> {
    const { manager, restaurantId } = scope;
    try {
      return await manager
        .getRepository(MenuItemEntity)
        .save(manager.create(MenuItemEntity, { ...data, restaurantId, version: 1, alive: 1 }));
    } catch (error) {
      throw conflictFor(error);
    }
  }

  /** Replaces an item's modifier groups (new ids: removed options can no longer be ordered). */
  async replaceModifiers(scope: TransactionScope, itemId: string, groups: NewModifierGroup[]): Promise<void> {
    const { manager, restaurantId } = scope;
    await manager.getRepository(ModifierGroupEntity).delete({ restaurantId, itemId });
    if (groups.length === 0) return;
    const groupRows = groups.map((group, position) => ({
      id: newId(),
      restaurantId,
      itemId,
      name: group.name,
      minSelect: group.minSelect,
      maxSelect: group.maxSelect,
      position,
    }));
    await manager.getRepository(ModifierGroupEntity).insert(groupRows);
    const optionRows = groups.flatMap((group, g) =>
      group.options.map((option, position) => ({
        id: newId(),
        restaurantId,
        groupId: groupRows[g].id,
        ...option,
        position,
      })),
    );
    await manager.getRepository(ModifierOptionEntity).insert(optionRows);
  }

  findLive(scope: TenantScope, id: string): Promise<MenuItemEntity | null> {
    return this.repo(scope).findOneBy({ restaurantId: scope.restaurantId, id, deletedAt: IsNull() });
  }

  /**
   * Live items of the scope's restaurant with their modifier groups and all
   * their options, for pricing an order (unknown ids are simply absent), in
   * one raw query: order placement is the hottest path, and entity loading of
   * three tables cost it two more round trips and most of its CPU.
   */
  async findOrderable(scope: TenantScope, ids: string[]): Promise<OrderableItem[]> {
    if (ids.length === 0) return [];
    const rows: OrderableRow[] = await (scope.manager ?? this.items.manager).query(ORDERABLE_SQL(ids.length), [
      scope.restaurantId,
      ...ids,
    ]);
    const items = new Map<string, OrderableItem>();
    const groups = new Map<string, OrderableItem['groups'][number]>();
    for (const row of rows) {
      let entry = items.get(row.id);
      if (!entry) {
        entry = {
          item: {
            id: row.id,
            categoryId: row.categoryId,
            name: row.name,
            price: moneyTransformer.from(row.price) ?? 0,
            taxRateBps: Number(row.taxRateBps),
            isAvailable: isTrue(row.isAvailable),
          },
          groups: [],
        };
        items.set(row.id, entry);
      }
      if (row.groupId === null) continue;
      let group = groups.get(row.groupId);
      if (!group) {
        group = {
          group: {
            id: row.groupId,
            name: row.groupName,
            minSelect: Number(row.minSelect),
            maxSelect: Number(row.maxSelect),
          },
          options: [],
        };
        groups.set(row.groupId, group);
        entry.groups.push(group);
      }
      if (row.optionId === null) continue;
      group.options.push({
        id: row.optionId,
        name: row.optionName,
        priceDelta: moneyTransformer.from(row.priceDelta) ?? 0,
        isAvailable: isTrue(row.optionAvailable),
      });
    }
    return [...items.values()];
  }

  async list(
    scope: TenantScope,
    filters: ItemFilters,
    sort: SortSpec<ItemSortField>,
    page: { limit: number; offset: number },
  ): Promise<[MenuItemEntity[], number]> {
    const query = this.repo(scope)
      .createQueryBuilder('i')
      .where('i.restaurant_id = :restaurantId', { restaurantId: scope.restaurantId })
      .andWhere('i.deleted_at IS NULL');
    if (filters.categoryId) query.andWhere('i.category_id = :categoryId', { categoryId: filters.categoryId });
    if (filters.isAvailable !== undefined)
      query.andWhere('i.is_available = :isAvailable', { isAvailable: filters.isAvailable });
    if (filters.q) {
      const like = `%${filters.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query.andWhere(
        new Brackets((or) =>
          or
            .where('LOWER(i.name) LIKE :like', { like })
            .orWhere('LOWER(i.description) LIKE :like', { like })
            .orWhere('LOWER(i.sku) LIKE :like', { like }),
        ),
      );
    }
    return query
      .orderBy(`i.${sort.field}`, sort.direction)
      .addOrderBy('i.id', 'ASC')
      .take(page.limit)
      .skip(page.offset)
      .getManyAndCount();
  }

  /** Modifier groups and options of many items in two queries, whatever the number of items. */
  async withModifiers(scope: TenantScope, items: MenuItemEntity[]): Promise<ItemAggregate[]> {
    if (items.length === 0) return [];
    const { restaurantId } = scope;
    const db = scope.manager ?? this.items.manager;
    const groups = await db.getRepository(ModifierGroupEntity).find({
      where: { restaurantId, itemId: In(items.map((item) => item.id)) },
      order: { position: 'ASC' },
    });
    const options = groups.length
      ? await db.getRepository(ModifierOptionEntity).find({
          where: { restaurantId, groupId: In(groups.map((group) => group.id)) },
          order: { position: 'ASC' },
        })
      : [];
    const optionsByGroup = new Map<string, ModifierOptionEntity[]>();
    for (const option of options)
      optionsByGroup.set(option.groupId, [...(optionsByGroup.get(option.groupId) ?? []), option]);
    const groupsByItem = new Map<string, ItemAggregate['groups']>();
    for (const group of groups) {
      groupsByItem.set(group.itemId, [
        ...(groupsByItem.get(group.itemId) ?? []),
        { group, options: optionsByGroup.get(group.id) ?? [] },
      ]);
    }
    return items.map((item) => ({ item, groups: groupsByItem.get(item.id) ?? [] }));
  }

  /**
   * Applies a patch only if the row still has `version` (optimistic locking:
   * TypeORM's save() would not check). Returns false when another write won.
   */
  async updateIfVersion(
    scope: TransactionScope,
    id: string,
    version: number,
    patch: Partial<ItemData>,
  ): Promise<boolean> {
    const { manager, restaurantId } = scope;
    try {
      const result = await manager
        .createQueryBuilder()
        .update(MenuItemEntity)
        .set({ ...patch, version: () => 'version + 1' })
        .where('id = :id AND restaurant_id = :restaurantId AND version = :version AND deleted_at IS NULL', {
          id,
          restaurantId,
          version,
        })
        .execute();
      return (result.affected ?? 0) === 1;
    } catch (error) {
      throw conflictFor(error);
    }
  }

  /** The quick "86" toggle: no version needed, but it bumps the version so stale edits conflict. */
  async setAvailability(scope: TenantScope, id: string, isAvailable: boolean): Promise<boolean> {
    const result = await this.repo(scope)
      .createQueryBuilder()
      .update(MenuItemEntity)
      .set({ isAvailable, version: () => 'version + 1' })
      .where('id = :id AND restaurant_id = :restaurantId AND deleted_at IS NULL', {
        id,
        restaurantId: scope.restaurantId,
      })
      .execute();
    return (result.affected ?? 0) === 1;
  }

  async softDelete(scope: TenantScope, id: string): Promise<boolean> {
    const result = await this.repo(scope)
      .createQueryBuilder()
      .update(MenuItemEntity)
      .set({ deletedAt: new Date(), alive: null, version: () => 'version + 1' })
      .where('id = :id AND restaurant_id = :restaurantId AND deleted_at IS NULL', {
        id,
        restaurantId: scope.restaurantId,
      })
      .execute();
    return (result.affected ?? 0) === 1;
  }

  countLive(scope: TenantScope): Promise<number> {
    return this.repo(scope).countBy({ restaurantId: scope.restaurantId, deletedAt: IsNull() });
  }

  countLiveInCategory(scope: TransactionScope, categoryId: string): Promise<number> {
    return this.repo(scope).countBy({ restaurantId: scope.restaurantId, categoryId, deletedAt: IsNull() });
  }
}
