import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MenuCategoriesService } from './categories/menu-categories.service';
import { MenuCategoryEntity } from './categories/menu-category.entity';
import { MenuCategoryRepository } from './categories/menu-category.repository';
import { MenuItemEntity } from './items/menu-item.entity';
import { MenuItemRepository } from './items/menu-item.repository';
import { MenuItemsService } from './items/menu-items.service';
import { ModifierGroupEntity, ModifierOptionEntity } from './items/modifier.entities';
import { MenuCategoriesController, MenuItemsController } from './menu.controllers';
import { MenuVersions } from './public-menu/menu-versions';
import { PublicMenuBuilder } from './public-menu/public-menu.builder';
import { PublicMenuCache } from './public-menu/public-menu.cache';
import { PublicMenuRateLimit } from './public-menu/public-menu.rate-limit';

@Module({
  imports: [TypeOrmModule.forFeature([MenuCategoryEntity, MenuItemEntity, ModifierGroupEntity, ModifierOptionEntity])],
  controllers: [MenuCategoriesController, MenuItemsController],
  providers: [
    MenuCategoryRepository,
    MenuItemRepository,
    MenuCategoriesService,
    MenuItemsService,
    MenuVersions,
    PublicMenuBuilder,
    PublicMenuCache,
    PublicMenuRateLimit,
  ],
  exports: [MenuCategoriesService, MenuItemsService, MenuVersions, PublicMenuCache, PublicMenuRateLimit],
})
export class MenuModule {}
