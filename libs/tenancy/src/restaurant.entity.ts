import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '@coffee/database';

export const RESTAURANT_STATUSES = ['active', 'suspended'] as const;
export type RestaurantStatus = (typeof RESTAURANT_STATUSES)[number];

/** A tenant: every tenant-owned row points at one. */
@Entity({ name: 'restaurants' })
export class RestaurantEntity extends BaseEntity {
  @Column({ type: 'varchar', length: 120 })
  name!: string;

  @Index('uq_restaurants_slug', { unique: true })
  @Column({ type: 'varchar', length: 63 })
  slug!: string;

  @Column({ type: 'varchar', length: 3 })
  currency!: string;

  @Column({ type: 'varchar', length: 64 })
  timezone!: string;

  @Index('ix_restaurants_status')
  @Column({ type: 'varchar', length: 16 })
  status!: RestaurantStatus;
}
