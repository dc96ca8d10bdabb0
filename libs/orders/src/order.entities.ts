import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { moneyColumn, TenantOwnedEntity } from '@coffee/database';
import type { OrderStatus, OrderType, PaymentMethod } from './domain/order-status';

@Entity({ name: 'orders' })
@Index('ix_orders_restaurant_status_created', ['restaurantId', 'status', 'createdAt'])
@Index('ix_orders_restaurant_created_id', ['restaurantId', 'createdAt', 'id'])
@Index('uq_orders_restaurant_day_number', ['restaurantId', 'businessDate', 'number'], { unique: true })
export class OrderEntity extends TenantOwnedEntity {
  @Column({ type: 'int' })
  number!: number;

  /** The restaurant's local date (YYYY-MM-DD) the daily number belongs to. */
  @Column({ type: 'varchar', length: 10 })
  businessDate!: string;

  @Column({ type: 'varchar', length: 16 })
  type!: OrderType;

  @Column({ type: 'varchar', length: 16 })
  status!: OrderStatus;

  @Column({ type: 'varchar', length: 36, nullable: true })
  tableId!: string | null;

  @Column({ type: 'varchar', length: 120, nullable: true })
  customerName!: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  notes!: string | null;

  @Column(moneyColumn()) subtotal!: number;
  @Column(moneyColumn()) tax!: number;
  @Column(moneyColumn()) discount!: number;
  @Column(moneyColumn()) tip!: number;
  @Column(moneyColumn()) total!: number;

  @Column({ type: 'varchar', length: 16, nullable: true })
  paymentMethod!: PaymentMethod | null;

  @Column({ type: 'int' })
  version!: number;

  @Column({ type: 'varchar', length: 36, nullable: true })
  createdBy!: string | null;

  @Column({ type: 'datetime', precision: 6, nullable: true })
  paidAt!: Date | null;

  @Column({ type: 'datetime', precision: 6, nullable: true })
  cancelledAt!: Date | null;
}

/** One line, with the item's name, price and chosen options snapshotted at ordering time. */
@Entity({ name: 'order_lines' })
@Index('ix_order_lines_order', ['restaurantId', 'orderId', 'position'])
export class OrderLineEntity extends TenantOwnedEntity {
  @ForeignKey('OrderEntity', { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @Column({ type: 'varchar', length: 36 })
  orderId!: string;

  @Column({ type: 'varchar', length: 36 })
  menuItemId!: string;

  /** The item's category when the line was placed; null for lines older than the column with no item left to copy it from. */
  @Column({ type: 'varchar', length: 36, nullable: true })
  categoryId!: string | null;

  @Column({ type: 'varchar', length: 120 })
  name!: string;

  @Column(moneyColumn()) unitPrice!: number;
  @Column({ type: 'int' }) quantity!: number;
  @Column(moneyColumn()) lineTotal!: number;
  @Column(moneyColumn()) tax!: number;

  /** JSON snapshot: [{ optionId, name, priceDelta }]. */
  @Column({ type: 'text' })
  modifiers!: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  notes!: string | null;

  @Column({ type: 'int' })
  position!: number;
}

@Entity({ name: 'order_status_history' })
@Index('ix_order_status_history_order', ['restaurantId', 'orderId', 'createdAt'])
export class OrderStatusChangeEntity extends TenantOwnedEntity {
  @ForeignKey('OrderEntity', { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @Column({ type: 'varchar', length: 36 })
  orderId!: string;

  @Column({ type: 'varchar', length: 16, nullable: true })
  fromStatus!: OrderStatus | null;

  @Column({ type: 'varchar', length: 16 })
  toStatus!: OrderStatus;

  @Column({ type: 'varchar', length: 36, nullable: true })
  changedBy!: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  reason!: string | null;
}

/** The last daily number handed out, per restaurant and local date; bumped with UPDATE … SET n = n + 1. */
@Entity({ name: 'order_counters' })
@Index('ix_order_counters_business_date', ['businessDate'])
export class OrderCounterEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  restaurantId!: string;

  @PrimaryColumn({ type: 'varchar', length: 10 })
  businessDate!: string;

  @Column({ type: 'int' })
  lastNumber!: number;
}

/** An order as inserted: the entity's fields without its methods. */
export type NewOrder = Omit<OrderEntity, 'assignId'>;
/** An order line as inserted (timestamps come from the database). */
export type NewOrderLine = Omit<OrderLineEntity, 'createdAt' | 'updatedAt' | 'assignId'>;
