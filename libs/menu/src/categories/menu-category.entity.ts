import { Column, DeleteDateColumn, Entity, Index } from 'typeorm';
import { TenantOwnedEntity } from '@coffee/database';

/** A section of the menu ("Hot drinks"). Soft-deleted: `deleted_at` set, `alive` null. */
@Entity({ name: 'menu_categories' })
@Index('ix_menu_categories_restaurant_position', ['restaurantId', 'position'])
@Index('uq_menu_categories_restaurant_name', ['restaurantId', 'name', 'alive'], { unique: true })
export class MenuCategoryEntity extends TenantOwnedEntity {
  @Column({ type: 'varchar', length: 120 })
  name!: string;

  @Column({ type: 'varchar', length: 500 })
  description!: string;

  @Column({ type: 'int', default: 0 })
  position!: number;

  @Column({ type: 'boolean', default: true })
  isActive!: boolean;

  /** 1 while live, null once deleted: a unique index over it lets a deleted name be reused. */
  @Column({ type: 'smallint', nullable: true, default: 1 })
  alive!: number | null;

  @DeleteDateColumn({ type: 'datetime', precision: 6, nullable: true })
  deletedAt!: Date | null;
}
