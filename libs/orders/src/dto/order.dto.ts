import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EachNested, PageQueryDto, Trim, CursorPageMetaResponse } from '@coffee/common';
import { MONEY_MAX } from '@coffee/database';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import {
  ORDER_STATUSES,
  ORDER_TYPES,
  PAYMENT_METHODS,
  type OrderStatus,
  type OrderType,
  type PaymentMethod,
} from '../domain/order-status';

export class OrderLineDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  menuItemId!: string;

  @ApiProperty({ minimum: 1, maximum: 99 })
  @IsInt()
  @Min(1)
  @Max(99)
  quantity!: number;

  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID(undefined, { each: true })
  modifierOptionIds?: string[];

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  notes?: string;
}

export class PlaceOrderDto {
  @ApiProperty({ enum: ORDER_TYPES })
  @IsIn(ORDER_TYPES)
  type!: OrderType;

  @ApiPropertyOptional({ format: 'uuid', description: 'Required for dine_in: an active table' })
  @IsOptional()
  @IsUUID()
  tableId?: string;

  @ApiPropertyOptional({ maxLength: 120 })
  @IsOptional()
  @Trim()
  @IsString()
  @Length(1, 120)
  customerName?: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  notes?: string;

  @ApiProperty({ type: [OrderLineDto], minItems: 1, maxItems: 100 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @EachNested(() => OrderLineDto)
  items!: OrderLineDto[];
}

export class ChangeStatusDto {
  @ApiProperty({ enum: ORDER_STATUSES })
  @IsIn(ORDER_STATUSES)
  status!: OrderStatus;

  @ApiPropertyOptional({ description: 'The version you read; a stale one answers 409 CONFLICT' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;

  @ApiPropertyOptional({ description: 'Required when cancelling' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  reason?: string;

  @ApiPropertyOptional({ enum: PAYMENT_METHODS, description: 'Required when paying' })
  @IsOptional()
  @IsIn(PAYMENT_METHODS)
  paymentMethod?: PaymentMethod;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: MONEY_MAX,
    description: 'Minor units, when paying; the order total with it must stay within 0 to 10^12',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MONEY_MAX)
  tip?: number;
}

export class ListOrdersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'meta.nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ description: 'Comma list of statuses' })
  @IsOptional()
  @Matches(/^(pending|preparing|ready|served|paid|cancelled)(,(pending|preparing|ready|served|paid|cancelled))*$/, {
    message: 'status must be a comma list of pending, preparing, ready, served, paid, cancelled',
  })
  status?: string;

  @ApiPropertyOptional({ enum: ORDER_TYPES })
  @IsOptional()
  @IsIn(ORDER_TYPES)
  type?: OrderType;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  tableId?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'createdAt from (inclusive)' })
  @IsOptional()
  @IsISO8601()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'createdAt to (inclusive)' })
  @IsOptional()
  @IsISO8601()
  to?: string;

  @ApiPropertyOptional({
    enum: ['-createdAt', 'createdAt'],
    default: '-createdAt',
    description:
      '`-createdAt` newest first (default), `createdAt` oldest first; ties broken by id the same way. ' +
      'A cursor belongs to the sort it was made with: send the same `sort` with it (another sort is a 422 naming `cursor`)',
  })
  @IsOptional()
  @IsIn(['-createdAt', 'createdAt'], { message: 'sort must be createdAt or -createdAt' })
  declare sort?: string;
}

export class OrderModifierResponse {
  @ApiProperty({ format: 'uuid' }) optionId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() priceDelta!: number;
}

export class OrderLineResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) menuItemId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() unitPrice!: number;
  @ApiProperty() quantity!: number;
  @ApiProperty({ type: [OrderModifierResponse] }) modifiers!: OrderModifierResponse[];
  @ApiProperty() lineTotal!: number;
  @ApiProperty({ nullable: true, type: String }) notes!: string | null;
}

export class OrderResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() number!: number;
  @ApiProperty({ enum: ORDER_TYPES }) type!: OrderType;
  @ApiProperty({ enum: ORDER_STATUSES }) status!: OrderStatus;
  @ApiProperty({ nullable: true, type: String }) tableId!: string | null;
  @ApiProperty({ nullable: true, type: String }) customerName!: string | null;
  @ApiProperty({ nullable: true, type: String }) notes!: string | null;
  @ApiProperty({ type: [OrderLineResponse] }) items!: OrderLineResponse[];
  @ApiProperty() subtotal!: number;
  @ApiProperty() tax!: number;
  @ApiProperty() discount!: number;
  @ApiProperty() tip!: number;
  @ApiProperty() total!: number;
  @ApiProperty({ enum: PAYMENT_METHODS, nullable: true }) paymentMethod!: PaymentMethod | null;
  @ApiProperty() version!: number;
  @ApiProperty({ nullable: true, type: String }) createdBy!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) paidAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) cancelledAt!: string | null;
}

export class OrderPageResponse {
  @ApiProperty({ type: [OrderResponse] }) items!: OrderResponse[];
  @ApiProperty({ type: CursorPageMetaResponse }) meta!: CursorPageMetaResponse;
}

/** Open orders for the kitchen display: a small fixed collection, no `meta`. */
export class KitchenOrdersResponse {
  @ApiProperty({ type: [OrderResponse], description: 'pending, preparing and ready orders, oldest first' })
  items!: OrderResponse[];
}

export class OrderHistoryEntryResponse {
  @ApiProperty({ enum: ORDER_STATUSES, nullable: true, description: 'null for the creation' })
  from!: OrderStatus | null;
  @ApiProperty({ enum: ORDER_STATUSES }) to!: OrderStatus;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The user who made the change; null when it was not a user',
  })
  by!: string | null;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Given with a cancellation' }) reason!: string | null;
}

export class OrderHistoryResponse {
  @ApiProperty({ type: [OrderHistoryEntryResponse], description: 'Creation first' })
  items!: OrderHistoryEntryResponse[];
}
