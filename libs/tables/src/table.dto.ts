import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Length, Max, Min, ValidateIf } from 'class-validator';
import { PageQueryDto } from '@coffee/common';
import type { TableEntity } from './table.entity';

/**
 * A PATCH field is validated whenever it is present: `null` is a value (and an
 * invalid one for these NOT NULL columns), not an absent field as `@IsOptional()`
 * would treat it.
 */
const present = (_: object, value: unknown): boolean => value !== undefined;

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);
const toBoolean = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

export class CreateTableDto {
  @ApiProperty({ example: 'T4', maxLength: 40 })
  @Transform(trim)
  @IsString()
  @Length(1, 40)
  label!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 2 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  seats?: number;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  isActive?: boolean;
}

export class UpdateTableDto {
  @ApiPropertyOptional({ maxLength: 40 })
  @ValidateIf(present)
  @Transform(trim)
  @IsString()
  @Length(1, 40)
  label?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100 })
  @ValidateIf(present)
  @IsInt()
  @Min(1)
  @Max(100)
  seats?: number;

  @ApiPropertyOptional()
  @ValidateIf(present)
  @IsBoolean()
  isActive?: boolean;
}

export class ListTablesQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  isActive?: boolean;
}

export class TableResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() label!: string;
  @ApiProperty() seats!: number;
  @ApiProperty() isActive!: boolean;
  @ApiProperty({ description: 'Random token for the table’s QR code' }) qrToken!: string;
}

export function toTableResponse(table: TableEntity): TableResponse {
  return { id: table.id, label: table.label, seats: table.seats, isActive: table.isActive, qrToken: table.qrToken };
}
