import { Column, Entity, ForeignKey, Index } from 'typeorm';
import { moneyColumn, TenantOwnedEntity } from '@coffee/database';

/** "Milk", "Size": a choice on an item, with how many options may be picked. */
@Entity({ name: 'modifier_groups' })
@Index('ix_modifier_groups_item', ['restaurantId', 'itemId', 'position'])
export class ModifierGroupEntity extends TenantOwnedEntity {
  @ForeignKey('MenuItemEntity', { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @Column({ type: 'varchar', length: 36 })
  itemId!: string;

  @Column({ type: 'varchar', length: 80 })
  name!: string;

  @Column({ type: 'int' })
  minSelect!: number;

  @Column({ type: 'int' })
  maxSelect!: number;

  @Column({ type: 'int' })
  position!: number;
}

/** "Oat +60": one pickable option of a group; orders reference its id. */
@Entity({ name: 'modifier_options' })
@Index('ix_modifier_options_group', ['restaurantId', 'groupId', 'position'])
export class ModifierOptionEntity extends TenantOwnedEntity {
  @ForeignKey('ModifierGroupEntity', { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @Column({ type: 'varchar', length: 36 })
  groupId!: string;

  @Column({ type: 'varchar', length: 80 })
  name!: string;

  @Column(moneyColumn())
  priceDelta!: number;

  @Column({ type: 'boolean', default: true })
  isAvailable!: boolean;

  @Column({ type: 'int' })
  position!: number;
}
