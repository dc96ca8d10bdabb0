import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { EachNested, PageQueryDto, IsOmittable, ToBoolean, Trim, PageMetaResponse } from '@coffee/common';
import { MONEY_MAX } from '@coffee/database';

// --- categories ---

export class CreateCategoryDto {
  @ApiProperty({ example: 'Hot drinks', maxLength: 120 })
  @Trim()
  @IsString()
  @Length(1, 120)
  name!: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOmittable()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  position?: number;

  @ApiPropertyOptional({ default: true })
  @IsOmittable()
  @IsBoolean()
  isActive?: boolean;
}

export class UpdateCategoryDto {
  @ApiPropertyOptional({ maxLength: 120 })
  @IsOmittable()
  @Trim()
  @IsString()
  @Length(1, 120)
  name?: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOmittable()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiPropertyOptional({ minimum: 0 })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  position?: number;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsBoolean()
  isActive?: boolean;
}

export class ListCategoriesQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @ToBoolean()
  @IsBoolean()
  isActive?: boolean;
}

export class CategoryResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
  @ApiProperty() position!: number;
  @ApiProperty() isActive!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

// --- items and modifiers ---

export class ModifierOptionDto {
  @ApiProperty({ example: 'Oat milk', maxLength: 80 })
  @Trim()
  @IsString()
  @Length(1, 80)
  name!: string;

  @ApiProperty({
    example: 60,
    minimum: -MONEY_MAX,
    maximum: MONEY_MAX,
    description: 'Minor units added to the item price (may be negative; a line total may not)',
  })
  @IsInt()
  @Min(-MONEY_MAX)
  @Max(MONEY_MAX)
  priceDelta!: number;

  @ApiPropertyOptional({ default: true })
  @IsOmittable()
  @IsBoolean()
  isAvailable?: boolean;
}

export class ModifierGroupDto {
  @ApiProperty({ example: 'Milk', maxLength: 80 })
  @Trim()
  @IsString()
  @Length(1, 80)
  name!: string;

  @ApiProperty({ minimum: 0, example: 0 })
  @IsInt()
  @Min(0)
  @Max(50)
  minSelect!: number;

  @ApiProperty({ minimum: 1, example: 1 })
  @IsInt()
  @Min(1)
  @Max(50)
  maxSelect!: number;

  @ApiProperty({ type: [ModifierOptionDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @EachNested(() => ModifierOptionDto)
  options!: ModifierOptionDto[];
}

class ItemFields {
  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOmittable()
  @IsString()
  @MaxLength(1000)
  description?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 10_000, description: 'Tax in basis points (1900 = 19%)' })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(10_000)
  taxRateBps?: number;

  @ApiPropertyOptional({ maxLength: 64, nullable: true, type: String, description: 'null clears it' })
  @IsOptional()
  @Trim()
  @IsString()
  @Length(1, 64)
  sku?: string | null;

  @ApiPropertyOptional({ default: true })
  @IsOmittable()
  @IsBoolean()
  isAvailable?: boolean;

  @ApiPropertyOptional({ minimum: 0 })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  position?: number;

  @ApiPropertyOptional({ type: [ModifierGroupDto], description: 'Replaces the whole set' })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(20)
  @EachNested(() => ModifierGroupDto)
  modifierGroups?: ModifierGroupDto[];
}

export class CreateItemDto extends ItemFields {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  categoryId!: string;

  @ApiProperty({ example: 'Flat white', maxLength: 120 })
  @Trim()
  @IsString()
  @Length(1, 120)
  name!: string;

  @ApiProperty({ example: 450, minimum: 0, maximum: MONEY_MAX, description: 'Minor units of the restaurant currency' })
  @IsInt({ message: 'price must be a non-negative integer (minor units)' })
  @Min(0, { message: 'price must be a non-negative integer (minor units)' })
  @Max(MONEY_MAX)
  price!: number;
}

export class UpdateItemDto extends ItemFields {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOmittable()
  @IsUUID()
  categoryId?: string;

  @ApiPropertyOptional({ maxLength: 120 })
  @IsOmittable()
  @Trim()
  @IsString()
  @Length(1, 120)
  name?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: MONEY_MAX })
  @IsOmittable()
  @IsInt({ message: 'price must be a non-negative integer (minor units)' })
  @Min(0, { message: 'price must be a non-negative integer (minor units)' })
  @Max(MONEY_MAX)
  price?: number;

  @ApiProperty({ description: 'The version you read; a stale one answers 409 CONFLICT' })
  @IsInt()
  @Min(1)
  version!: number;
}

export class AvailabilityDto {
  @ApiProperty()
  @IsBoolean()
  isAvailable!: boolean;
}

export class ListItemsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  categoryId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @ToBoolean()
  @IsBoolean()
  isAvailable?: boolean;

  @ApiPropertyOptional({ description: 'Matches name, description or SKU' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;
}

export class ModifierOptionResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() priceDelta!: number;
  @ApiProperty() isAvailable!: boolean;
}

export class ModifierGroupResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() minSelect!: number;
  @ApiProperty() maxSelect!: number;
  @ApiProperty({ type: [ModifierOptionResponse] }) options!: ModifierOptionResponse[];
}

export class ItemResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) categoryId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
  @ApiProperty() price!: number;
  @ApiProperty() taxRateBps!: number;
  @ApiProperty() isAvailable!: boolean;
  @ApiProperty() position!: number;
  @ApiProperty({ nullable: true, type: String }) sku!: string | null;
  @ApiProperty({ type: [ModifierGroupResponse] }) modifierGroups!: ModifierGroupResponse[];
  @ApiProperty() version!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class CategoryPageResponse {
  @ApiProperty({ type: [CategoryResponse] }) items!: CategoryResponse[];
  @ApiProperty({ type: PageMetaResponse }) meta!: PageMetaResponse;
}

export class ItemPageResponse {
  @ApiProperty({ type: [ItemResponse] }) items!: ItemResponse[];
  @ApiProperty({ type: PageMetaResponse }) meta!: PageMetaResponse;
}
