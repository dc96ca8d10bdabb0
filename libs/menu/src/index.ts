export * from './categories/menu-category.entity';
export * from './dto/menu.dto';
export * from './items/menu-item.entity';
export * from './items/modifier.entities';
export * from './menu.module';
export * from './public-menu/menu-versions';
export * from './public-menu/public-menu.cache';
export * from './public-menu/public-menu.route';
