import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { PageQueryDto, IsOmittable, ToBoolean, Trim, PageMetaResponse } from '@coffee/common';
import type { TableEntity } from './table.entity';

export class CreateTableDto {
  @ApiProperty({ example: 'T4', maxLength: 40 })
  @Trim()
  @IsString()
  @Length(1, 40)
  label!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 2 })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(100)
  seats?: number;

  @ApiPropertyOptional({ default: true })
  @IsOmittable()
  @IsBoolean()
  isActive?: boolean;
}

export class UpdateTableDto {
  @ApiPropertyOptional({ maxLength: 40 })
  @IsOmittable()
  @Trim()
  @IsString()
  @Length(1, 40)
  label?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100 })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(100)
  seats?: number;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsBoolean()
  isActive?: boolean;
}

export class ListTablesQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @ToBoolean()
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

export class TablePageResponse {
  @ApiProperty({ type: [TableResponse] }) items!: TableResponse[];
  @ApiProperty({ type: PageMetaResponse }) meta!: PageMetaResponse;
}
