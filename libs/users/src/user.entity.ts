import { Column, Entity, ForeignKey, Index } from 'typeorm';
import type { Role } from '@coffee/common';
import { BaseEntity } from '@coffee/database';

/** A person who signs in: platform staff (no restaurant) or a restaurant's owner, manager or staff. */
@Entity({ name: 'users' })
export class UserEntity extends BaseEntity {
  /** Null for sysadmins, who belong to no restaurant. */
  @Index('ix_users_restaurant')
  @ForeignKey('RestaurantEntity', { onDelete: 'RESTRICT', onUpdate: 'RESTRICT' })
  @Column({ type: 'varchar', length: 36, nullable: true })
  restaurantId!: string | null;

  /** Stored lower-case; unique across the platform. */
  @Index('uq_users_email', { unique: true })
  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ type: 'varchar', length: 120 })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  role!: Role;

  @Column({ type: 'varchar', length: 255 })
  passwordHash!: string;

  @Column({ type: 'boolean', default: true })
  isActive!: boolean;

  @Column({ type: 'datetime', precision: 6, nullable: true })
  lastLoginAt!: Date | null;

  @Column({ type: 'int', default: 0 })
  failedLoginCount!: number;

  @Column({ type: 'datetime', precision: 6, nullable: true })
  failedLoginWindowStart!: Date | null;

  @Column({ type: 'datetime', precision: 6, nullable: true })
  lockedUntil!: Date | null;
}
