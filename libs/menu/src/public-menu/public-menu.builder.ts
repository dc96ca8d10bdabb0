import { Injectable } from '@nestjs/common';
import { In, IsNull, type EntityManager } from 'typeorm';
import { ReadReplica, trustedTenantScope, withReadManager } from '@coffee/database';
import { RestaurantRepository } from '@coffee/tenancy';
import { MenuCategoryEntity } from '../categories/menu-category.entity';
import { MenuItemEntity } from '../items/menu-item.entity';
import { MenuItemRepository } from '../items/menu-item.repository';

export interface PublicMenu {
  restaurant: { name: string; slug: string; currency: string; timezone: string };
  categories: {
    id: string;
    name: string;
    description: string;
    position: number;
    items: {
      id: string;
      name: string;
      description: string;
      price: number;
      taxRateBps: number;
      position: number;
      modifierGroups: {
        id: string;
        name: string;
        minSelect: number;
        maxSelect: number;
        options: { id: string; name: string; priceDelta: number; isAvailable: boolean }[];
      }[];
    }[];
  }[];
}

/**
 * Reads the public menu of a restaurant from the database, in a fixed number
 * of queries, on a read replica when one is configured: ReadReplica uses a
 * replica only once it has every write the primary had committed when the
 * build started, so a menu cached under the version read before the build is
 * never older than that version.
 */
@Injectable()
export class PublicMenuBuilder {
  constructor(
    private readonly replica: ReadReplica,
    private readonly restaurants: RestaurantRepository,
    private readonly items: MenuItemRepository,
  ) {}

  /** The menu, or null when the restaurant is unknown or suspended. */
  build(restaurantId: string): Promise<PublicMenu | null> {
    return this.replica.read((manager) => this.buildOn(manager, restaurantId));
  }

  private async buildOn(manager: EntityManager, restaurantId: string): Promise<PublicMenu | null> {
    const restaurant = await this.restaurants.findById(restaurantId, manager);
    if (!restaurant || restaurant.status !== 'active') return null;
    const categories = await manager.getRepository(MenuCategoryEntity).find({
      where: { restaurantId, isActive: true, deletedAt: IsNull() },
      order: { position: 'ASC', name: 'ASC' },
    });
    const items = categories.length
      ? await manager.getRepository(MenuItemEntity).find({
          where: { restaurantId, isAvailable: true, deletedAt: IsNull(), categoryId: In(categories.map((c) => c.id)) },
          order: { position: 'ASC', name: 'ASC' },
        })
      : [];
    // The restaurant was resolved from its public slug: its published menu is public data.
    const aggregates = await this.items.withModifiers(
      withReadManager(trustedTenantScope(restaurant.id), manager),
      items,
    );
    const byCategory = new Map<string, PublicMenu['categories'][number]['items']>();
    for (const { item, groups } of aggregates) {
      const entry = {
        id: item.id,
        name: item.name,
        description: item.description,
        price: item.price,
        taxRateBps: item.taxRateBps,
        position: item.position,
        modifierGroups: groups.map(({ group, options }) => ({
          id: group.id,
          name: group.name,
          minSelect: group.minSelect,
          maxSelect: group.maxSelect,
          options: options
            .filter((option) => option.isAvailable)
            .map((option) => ({ id: option.id, name: option.name, priceDelta: option.priceDelta, isAvailable: true })),
        })),
      };
      byCategory.set(item.categoryId, [...(byCategory.get(item.categoryId) ?? []), entry]);
    }
    return {
      restaurant: {
        name: restaurant.name,
        slug: restaurant.slug,
        currency: restaurant.currency,
        timezone: restaurant.timezone,
      },
      categories: categories.map((category) => ({
        id: category.id,
        name: category.name,
        description: category.description,
        position: category.position,
        items: byCategory.get(category.id) ?? [],
      })),
    };
  }
}
