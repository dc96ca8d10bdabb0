import type { CategoryResponse, ItemResponse } from './dto/menu.dto';
import type { MenuCategoryEntity } from './categories/menu-category.entity';
import type { ItemAggregate } from './items/menu-item.repository';

export function toCategoryResponse(category: MenuCategoryEntity): CategoryResponse {
  return {
    id: category.id,
    name: category.name,
    description: category.description,
    position: category.position,
    isActive: category.isActive,
    createdAt: category.createdAt.toISOString(),
    updatedAt: category.updatedAt.toISOString(),
  };
}

export function toItemResponse({ item, groups }: ItemAggregate): ItemResponse {
  return {
    id: item.id,
    categoryId: item.categoryId,
    name: item.name,
    description: item.description,
    price: item.price,
    taxRateBps: item.taxRateBps,
    isAvailable: item.isAvailable,
    position: item.position,
    sku: item.sku,
    modifierGroups: groups.map(({ group, options }) => ({
      id: group.id,
      name: group.name,
      minSelect: group.minSelect,
      maxSelect: group.maxSelect,
      options: options.map((option) => ({
        id: option.id,
        name: option.name,
        priceDelta: option.priceDelta,
        isAvailable: option.isAvailable,
      })),
    })),
    version: item.version,
    createdAt: item.createdAt.toISOString(),
    updatedAt: item.updatedAt.toISOString(),
  };
}
