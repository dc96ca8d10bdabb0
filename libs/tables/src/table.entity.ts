import { Column, DeleteDateColumn, Entity, Index } from 'typeorm';
import { TenantOwnedEntity } from '@coffee/database';

/** A dining table; its QR code carries `qrToken`. */
@Entity({ name: 'dining_tables' })
@Index('uq_dining_tables_restaurant_label', ['restaurantId', 'label', 'alive'], { unique: true })
export class TableEntity extends TenantOwnedEntity {
  @Column({ type: 'varchar', length: 40 })
  label!: string;

  @Column({ type: 'int', default: 2 })
  seats!: number;

  @Column({ type: 'boolean', default: true })
  isActive!: boolean;

  @Index('uq_dining_tables_qr_token', { unique: true })
  @Column({ type: 'varchar', length: 43 })
  qrToken!: string;

  @Column({ type: 'smallint', nullable: true, default: 1 })
  alive!: number | null;

  @DeleteDateColumn({ type: 'datetime', precision: 6, nullable: true })
  deletedAt!: Date | null;
}
