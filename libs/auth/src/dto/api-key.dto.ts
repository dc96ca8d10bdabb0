import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsString, Length } from 'class-validator';
import { API_KEY_SCOPES, PageQueryDto, type ApiKeyScope, Trim, PageMetaResponse } from '@coffee/common';
import type { ApiKeyEntity } from '../api-keys/api-key.entity';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'POS terminal 1', minLength: 1, maxLength: 100 })
  @Trim()
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true, example: ['menu:read', 'orders:write'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(API_KEY_SCOPES.length)
  @ArrayUnique()
  @IsIn(API_KEY_SCOPES, { each: true })
  scopes!: ApiKeyScope[];
}

export class ListApiKeysQueryDto extends PageQueryDto {}

export class ApiKeyResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true }) scopes!: ApiKeyScope[];
  @ApiProperty({ example: 'ck_live_Ab3dE6gH' }) prefix!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastUsedAt!: string | null;
}

export class CreatedApiKeyResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true }) scopes!: ApiKeyScope[];
  @ApiProperty() prefix!: string;
  @ApiProperty({ description: 'The full key. Shown only in this response; store it now.', example: 'ck_live_…' })
  key!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export function toApiKeyResponse(key: ApiKeyEntity): ApiKeyResponse {
  return {
    id: key.id,
    name: key.name,
    scopes: key.scopeList(),
    prefix: key.prefix,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: key.lastUsedAt ? key.lastUsedAt.toISOString() : null,
  };
}

export class ApiKeyPageResponse {
  @ApiProperty({ type: [ApiKeyResponse] }) items!: ApiKeyResponse[];
  @ApiProperty({ type: PageMetaResponse }) meta!: PageMetaResponse;
}
