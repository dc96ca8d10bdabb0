import { Injectable, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { TenantScope } from '@coffee/database';
import { MenuCategoryEntity } from './menu-category.entity';
import { MenuCategoryRepository } from './menu-category.repository';

/** Category names for other features (reports), deleted categories included. */
@Injectable()
export class MenuCategoryNames {
  constructor(private readonly categories: MenuCategoryRepository) {}

  /** Names by id; ids of another restaurant or of no category are absent. */
  namesOf(scope: TenantScope, ids: string[]): Promise<Map<string, string>> {
    return this.categories.namesOf(scope, ids);
  }
}

/**
 * Just the category names, without the menu routes: the worker's report jobs
 * import this (MenuModule would serve menu routes from the worker).
 */
@Module({
  imports: [TypeOrmModule.forFeature([MenuCategoryEntity])],
  providers: [MenuCategoryRepository, MenuCategoryNames],
  exports: [MenuCategoryNames],
})
export class MenuCategoryNamesModule {}
