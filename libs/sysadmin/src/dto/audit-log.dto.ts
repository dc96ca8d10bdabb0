import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsUUID } from 'class-validator';
import { AUDIT_ACTIONS, type AuditAction } from '@coffee/audit';
import { PageMetaResponse, PageQueryDto } from '@coffee/common';

const ISO_STRICT = { strict: true, strictSeparator: true };

export class ListAuditLogQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'restaurantId must be a UUID' })
  restaurantId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The user (or API key) who acted' })
  @IsOptional()
  @IsUUID('all', { message: 'actorId must be a UUID' })
  actorId?: string;

  @ApiPropertyOptional({ enum: AUDIT_ACTIONS })
  @IsOptional()
  @IsIn(AUDIT_ACTIONS, { message: 'action must be one of the audited actions' })
  action?: AuditAction;

  @ApiPropertyOptional({ format: 'date-time', description: '`at` from (inclusive)' })
  @IsOptional()
  @IsISO8601(ISO_STRICT, { message: 'from must be an ISO 8601 date or date-time' })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: '`at` to (inclusive)' })
  @IsOptional()
  @IsISO8601(ISO_STRICT, { message: 'to must be an ISO 8601 date or date-time' })
  to?: string;

  @ApiPropertyOptional({ enum: ['-at', 'at'], default: '-at', description: 'Newest first by default; ties by id' })
  @IsOptional()
  @IsIn(['-at', 'at'], { message: 'sort must be at or -at' })
  declare sort?: string;
}

export class AuditLogEntryResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The user who acted, the API key for `integration`, or the account a failed sign-in was for',
  })
  actorId!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'sysadmin' }) actorRole!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) restaurantId!: string | null;
  @ApiProperty({ enum: AUDIT_ACTIONS }) action!: AuditAction;
  @ApiProperty({ example: 'restaurant' }) targetType!: string;
  @ApiProperty({ type: String, nullable: true }) targetId!: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'What changed, before; never a secret or a hash',
  })
  before!: Record<string, unknown> | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'What changed, after' })
  after!: Record<string, unknown> | null;
  @ApiProperty({ type: String, nullable: true, description: 'The X-Request-Id of the request that made the change' })
  requestId!: string | null;
  @ApiProperty({ type: String, nullable: true }) ip!: string | null;
}

export class AuditLogPageResponse {
  @ApiProperty({ type: [AuditLogEntryResponse] }) items!: AuditLogEntryResponse[];
  @ApiProperty({ type: PageMetaResponse }) meta!: PageMetaResponse;
}
