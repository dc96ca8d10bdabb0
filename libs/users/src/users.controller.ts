import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, IdParam, Roles, type Page } from '@coffee/common';
import { RequestContext } from '@coffee/tenancy';
import { CreateUserDto, ListUsersQueryDto, UpdateUserDto, UserPageResponse, UserResponse } from './dto/user.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiErrors('UNAUTHENTICATED', 'FORBIDDEN', 'TENANT_SUSPENDED', 'CSRF_FAILED')
@Roles('owner', 'manager')
@Controller('users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly context: RequestContext,
  ) {}

  @Get()
  @ApiOkResponse({ type: UserPageResponse, description: 'A page of users' })
  @ApiErrors('VALIDATION_FAILED')
  @ApiOperation({ operationId: 'listUsers', summary: "List the restaurant's users" })
  list(@Query() query: ListUsersQueryDto): Promise<Page<UserResponse>> {
    return this.users.list(this.context.tenant(), query);
  }

  @Post()
  @ApiCreatedResponse({ type: UserResponse })
  @ApiErrors('VALIDATION_FAILED', 'CONFLICT')
  @ApiOperation({ operationId: 'createUser', summary: 'Create a user' })
  create(@Body() dto: CreateUserDto): Promise<UserResponse> {
    return this.users.create(this.context.tenant(), dto);
  }

  @Get(':id')
  @ApiOkResponse({ type: UserResponse })
  @ApiErrors('NOT_FOUND')
  @ApiOperation({ operationId: 'getUser', summary: 'Get a user' })
  get(@IdParam() id: string): Promise<UserResponse> {
    return this.users.get(this.context.tenant(), id);
  }

  @Patch(':id')
  @ApiOkResponse({ type: UserResponse })
  @ApiErrors('NOT_FOUND', 'VALIDATION_FAILED')
  @ApiOperation({ operationId: 'updateUser', summary: 'Rename a user, change their role or (de)activate them' })
  update(@IdParam() id: string, @Body() dto: UpdateUserDto): Promise<UserResponse> {
    return this.users.update(this.context.tenant(), id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deactivated' })
  @ApiErrors('NOT_FOUND')
  @ApiOperation({ operationId: 'deactivateUser', summary: 'Deactivate a user' })
  async deactivate(@IdParam() id: string): Promise<void> {
    await this.users.deactivate(this.context.tenant(), id);
  }
}
