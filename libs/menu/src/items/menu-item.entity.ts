import { Column, DeleteDateColumn, Entity, ForeignKey, Index } from 'typeorm';
import { moneyColumn, TenantOwnedEntity } from '@coffee/database';

/** Something to order. Prices are integers in the restaurant's minor unit. */
@Entity({ name: 'menu_items' })
@Index('ix_menu_items_restaurant_category_position', ['restaurantId', 'categoryId', 'position'])
@Index('ix_menu_items_restaurant_available', ['restaurantId', 'isAvailable'])
@Index('uq_menu_items_restaurant_name', ['restaurantId', 'name', 'alive'], { unique: true })
@Index('uq_menu_items_restaurant_sku', ['restaurantId', 'sku', 'alive'], { unique: true })
export class MenuItemEntity extends TenantOwnedEntity {
  @ForeignKey('MenuCategoryEntity', { onDelete: 'RESTRICT', onUpdate: 'RESTRICT' })
  @Column({ type: 'varchar', length: 36 })
  categoryId!: string;

  @Column({ type: 'varchar', length: 120 })
  name!: string;

  @Column({ type: 'varchar', length: 1000 })
  description!: string;

  @Column(moneyColumn())
  price!: number;

  @Column({ type: 'int', default: 0 })
  taxRateBps!: number;

  @Column({ type: 'varchar', length: 64, nullable: true })
  sku!: string | null;

  @Column({ type: 'boolean', default: true })
  isAvailable!: boolean;

  @Column({ type: 'int', default: 0 })
  position!: number;

  @Column({ type: 'int', default: 1 })
  version!: number;

  @Column({ type: 'smallint', nullable: true, default: 1 })
  alive!: number | null;

  @DeleteDateColumn({ type: 'datetime', precision: 6, nullable: true })
  deletedAt!: Date | null;
}
