import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors, IdParam, Roles, type Page } from '@coffee/common';
import { RequestContext } from '@coffee/tenancy';
import { ApiKeyResponse, CreateApiKeyDto, CreatedApiKeyResponse, ListApiKeysQueryDto } from '../dto/api-key.dto';
import { ApiKeysService } from './api-keys.service';

@ApiTags('api-keys')
@ApiCookieAuth('cookie')
@ApiBearerAuth('bearer')
@ApiErrors('UNAUTHENTICATED', 'FORBIDDEN', 'TENANT_SUSPENDED', 'CSRF_FAILED')
@Roles('owner')
@Controller('api-keys')
export class ApiKeysController {
  constructor(
    private readonly keys: ApiKeysService,
    private readonly context: RequestContext,
  ) {}

  @Post()
  @ApiCreatedResponse({ type: CreatedApiKeyResponse, description: 'The full key is in this response only' })
  @ApiErrors('VALIDATION_FAILED')
  create(@Body() dto: CreateApiKeyDto): Promise<CreatedApiKeyResponse> {
    return this.keys.create(this.context.tenant(), dto);
  }

  @Get()
  @ApiOkResponse({ description: 'Active keys: `{ items, meta }`, prefixes only' })
  @ApiErrors('VALIDATION_FAILED')
  list(@Query() query: ListApiKeysQueryDto): Promise<Page<ApiKeyResponse>> {
    return this.keys.list(this.context.tenant(), query);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked: the key stops working at once' })
  @ApiErrors('NOT_FOUND')
  async revoke(@IdParam() id: string): Promise<void> {
    await this.keys.revoke(this.context.tenant(), id);
  }
}
