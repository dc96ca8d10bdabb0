import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, IdParam, Roles, type Page } from '@coffee/common';
import { RequestContext } from '@coffee/tenancy';
import { CreateTableDto, ListTablesQueryDto, TablePageResponse, TableResponse, UpdateTableDto } from './table.dto';
import { TablesService } from './tables.service';

@ApiTags('tables')
@ApiErrors('UNAUTHENTICATED', 'FORBIDDEN', 'TENANT_SUSPENDED', 'CSRF_FAILED')
@Controller('tables')
export class TablesController {
  constructor(
    private readonly tables: TablesService,
    private readonly context: RequestContext,
  ) {}

  @Get()
  @Roles('owner', 'manager', 'staff')
  @ApiOkResponse({ type: TablePageResponse, description: 'A page of tables' })
  @ApiErrors('VALIDATION_FAILED')
  @ApiOperation({ operationId: 'listTables', summary: 'List tables' })
  list(@Query() query: ListTablesQueryDto): Promise<Page<TableResponse>> {
    return this.tables.list(this.context.tenant(), query);
  }

  @Post()
  @Roles('owner', 'manager')
  @ApiCreatedResponse({ type: TableResponse })
  @ApiErrors('VALIDATION_FAILED', 'CONFLICT')
  @ApiOperation({ operationId: 'createTable', summary: 'Create a table' })
  create(@Body() dto: CreateTableDto): Promise<TableResponse> {
    return this.tables.create(this.context.tenant(), dto);
  }

  @Get(':id')
  @Roles('owner', 'manager', 'staff')
  @ApiOkResponse({ type: TableResponse })
  @ApiErrors('NOT_FOUND')
  @ApiOperation({ operationId: 'getTable', summary: 'Get a table' })
  get(@IdParam() id: string): Promise<TableResponse> {
    return this.tables.get(this.context.tenant(), id);
  }

  @Patch(':id')
  @Roles('owner', 'manager')
  @ApiOkResponse({ type: TableResponse })
  @ApiErrors('NOT_FOUND', 'VALIDATION_FAILED', 'CONFLICT')
  @ApiOperation({ operationId: 'updateTable', summary: 'Update a table' })
  update(@IdParam() id: string, @Body() dto: UpdateTableDto): Promise<TableResponse> {
    return this.tables.update(this.context.tenant(), id, dto);
  }

  @Delete(':id')
  @Roles('owner', 'manager')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Removed (soft delete: past orders keep their table)' })
  @ApiErrors('NOT_FOUND')
  @ApiOperation({ operationId: 'deleteTable', summary: 'Delete a table' })
  async remove(@IdParam() id: string): Promise<void> {
    await this.tables.remove(this.context.tenant(), id);
  }
}
