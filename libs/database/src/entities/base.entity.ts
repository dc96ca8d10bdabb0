import { BeforeInsert, Column, CreateDateColumn, ForeignKey, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';

/** Time-ordered UUIDs keep InnoDB inserts at the end of the primary key. */
export function newId(): string {
  return uuidv7();
}

/** Every table: a UUID id and millisecond timestamps. */
export abstract class BaseEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  // TypeORM's defaults per driver: datetime(6) with CURRENT_TIMESTAMP(6) on MySQL/MariaDB.
  @CreateDateColumn()
  createdAt!: Date;

  @UpdateDateColumn()
  updatedAt!: Date;

  @BeforeInsert()
  protected assignId(): void {
    this.id ??= newId();
  }
}

/**
 * A row owned by one restaurant. Repositories of tenant-owned aggregates take
 * the restaurant id first and put it in every WHERE clause.
 */
export abstract class TenantOwnedEntity extends BaseEntity {
  // By entity name: this library sits below the one that defines restaurants.
  @ForeignKey('RestaurantEntity', { onDelete: 'RESTRICT', onUpdate: 'RESTRICT' })
  @Column({ type: 'varchar', length: 36 })
  restaurantId!: string;
}
