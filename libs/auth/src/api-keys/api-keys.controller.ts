import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors, IdParam, Roles, type Page } from '@coffee/common';
import { RequestContext } from '@coffee/tenancy';
import {
  ApiKeyPageResponse,
  ApiKeyResponse,
  CreateApiKeyDto,
  CreatedApiKeyResponse,
  ListApiKeysQueryDto,
} from '../dto/api-key.dto';
import { ApiKeysService } from './api-keys.service';

@ApiTags('api-keys')
@ApiErrors('UNAUTHENTICATED', 'FORBIDDEN', 'TENANT_SUSPENDED', 'CSRF_FAILED')
@Roles('owner')
@Controller('api-keys')
export class ApiKeysController {
  constructor(
    private readonly keys: ApiKeysService,
    private readonly context: RequestContext,
  ) {}

  @Post()
  @ApiBody({
    type: CreateApiKeyDto,
    examples: {
      pos: {
        summary: 'A POS that reads the menu and places orders',
        value: { name: 'Front counter POS', scopes: ['menu:read', 'orders:write'] },
      },
    },
  })
  @ApiCreatedResponse({ type: CreatedApiKeyResponse, description: 'The full key is in this response only' })
  @ApiErrors('VALIDATION_FAILED')
  @ApiOperation({ operationId: 'createApiKey', summary: 'Create an API key (the full key is shown once)' })
  create(@Body() dto: CreateApiKeyDto): Promise<CreatedApiKeyResponse> {
    return this.keys.create(this.context.tenant(), dto);
  }

  @Get()
  @ApiOkResponse({ type: ApiKeyPageResponse, description: 'Active keys, prefixes only' })
  @ApiErrors('VALIDATION_FAILED')
  @ApiOperation({ operationId: 'listApiKeys', summary: 'List active API keys' })
  list(@Query() query: ListApiKeysQueryDto): Promise<Page<ApiKeyResponse>> {
    return this.keys.list(this.context.tenant(), query);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked: the key stops working at once' })
  @ApiErrors('NOT_FOUND')
  @ApiOperation({ operationId: 'revokeApiKey', summary: 'Revoke an API key' })
  async revoke(@IdParam() id: string): Promise<void> {
    await this.keys.revoke(this.context.tenant(), id);
  }
}
