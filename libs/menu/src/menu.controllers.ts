import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Access, ApiErrors, IdParam, Roles, type Page } from '@coffee/common';
import { RequestContext } from '@coffee/tenancy';
import { MenuCategoriesService } from './categories/menu-categories.service';
import {
  AvailabilityDto,
  CategoryPageResponse,
  ItemPageResponse,
  CategoryResponse,
  CreateCategoryDto,
  CreateItemDto,
  ItemResponse,
  ListCategoriesQueryDto,
  ListItemsQueryDto,
  UpdateCategoryDto,
  UpdateItemDto,
} from './dto/menu.dto';
import { CREATE_ITEM_EXAMPLES } from './dto/menu.examples';
import { MenuItemsService } from './items/menu-items.service';

const READ = Access(['owner', 'manager', 'staff'], ['menu:read']);

@ApiTags('menu')
@ApiErrors('UNAUTHENTICATED', 'FORBIDDEN', 'TENANT_SUSPENDED', 'CSRF_FAILED')
@Controller('menu/categories')
export class MenuCategoriesController {
  constructor(
    private readonly categories: MenuCategoriesService,
    private readonly context: RequestContext,
  ) {}

  @Get()
  @READ
  @ApiOkResponse({ type: CategoryPageResponse, description: 'A page of categories, by position' })
  @ApiErrors('VALIDATION_FAILED')
  @ApiOperation({ operationId: 'listMenuCategories', summary: 'List menu categories' })
  list(@Query() query: ListCategoriesQueryDto): Promise<Page<CategoryResponse>> {
    return this.categories.list(this.context.tenant(), query);
  }

  @Post()
  @Roles('owner', 'manager')
  @ApiCreatedResponse({ type: CategoryResponse })
  @ApiErrors('VALIDATION_FAILED', 'CONFLICT')
  @ApiOperation({ operationId: 'createMenuCategory', summary: 'Create a menu category' })
  create(@Body() dto: CreateCategoryDto): Promise<CategoryResponse> {
    return this.categories.create(this.context.tenant(), dto);
  }

  @Get(':id')
  @READ
  @ApiOkResponse({ type: CategoryResponse })
  @ApiErrors('NOT_FOUND')
  @ApiOperation({ operationId: 'getMenuCategory', summary: 'Get a menu category' })
  get(@IdParam() id: string): Promise<CategoryResponse> {
    return this.categories.get(this.context.tenant(), id);
  }

  @Patch(':id')
  @Roles('owner', 'manager')
  @ApiOkResponse({ type: CategoryResponse })
  @ApiErrors('NOT_FOUND', 'VALIDATION_FAILED', 'CONFLICT')
  @ApiOperation({ operationId: 'updateMenuCategory', summary: 'Update a menu category' })
  update(@IdParam() id: string, @Body() dto: UpdateCategoryDto): Promise<CategoryResponse> {
    return this.categories.update(this.context.tenant(), id, dto);
  }

  @Delete(':id')
  @Roles('owner', 'manager')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Soft-deleted; 409 while it still holds items' })
  @ApiErrors('NOT_FOUND', 'CONFLICT')
  @ApiOperation({ operationId: 'deleteMenuCategory', summary: 'Delete a menu category' })
  async remove(@IdParam() id: string): Promise<void> {
    await this.categories.remove(this.context.tenant(), id);
  }
}

@ApiTags('menu')
@ApiErrors('UNAUTHENTICATED', 'FORBIDDEN', 'TENANT_SUSPENDED', 'CSRF_FAILED')
@Controller('menu/items')
export class MenuItemsController {
  constructor(
    private readonly items: MenuItemsService,
    private readonly context: RequestContext,
  ) {}

  @Get()
  @READ
  @ApiOkResponse({ type: ItemPageResponse, description: 'A page of items with their modifier groups' })
  @ApiErrors('VALIDATION_FAILED')
  @ApiOperation({ operationId: 'listMenuItems', summary: 'List menu items' })
  list(@Query() query: ListItemsQueryDto): Promise<Page<ItemResponse>> {
    return this.items.list(this.context.tenant(), query);
  }

  @Post()
  @Roles('owner', 'manager')
  @ApiBody({ type: CreateItemDto, examples: CREATE_ITEM_EXAMPLES })
  @ApiCreatedResponse({ type: ItemResponse })
  @ApiErrors('VALIDATION_FAILED', 'CONFLICT', 'PLAN_LIMIT_REACHED')
  @ApiOperation({ operationId: 'createMenuItem', summary: 'Create a menu item with its modifier groups' })
  create(@Body() dto: CreateItemDto): Promise<ItemResponse> {
    return this.items.create(this.context.tenant(), dto);
  }

  @Get(':id')
  @READ
  @ApiOkResponse({ type: ItemResponse })
  @ApiErrors('NOT_FOUND')
  @ApiOperation({ operationId: 'getMenuItem', summary: 'Get a menu item' })
  get(@IdParam() id: string): Promise<ItemResponse> {
    return this.items.get(this.context.tenant(), id);
  }

  @Patch(':id')
  @Roles('owner', 'manager')
  @ApiOkResponse({ type: ItemResponse, description: 'The item with its new version' })
  @ApiErrors('NOT_FOUND', 'VALIDATION_FAILED', 'CONFLICT')
  @ApiOperation({ operationId: 'updateMenuItem', summary: 'Update a menu item (optimistic locking on version)' })
  update(@IdParam() id: string, @Body() dto: UpdateItemDto): Promise<ItemResponse> {
    return this.items.update(this.context.tenant(), id, dto);
  }

  @Patch(':id/availability')
  @Roles('owner', 'manager', 'staff')
  @ApiOkResponse({ type: ItemResponse, description: 'The quick "86" toggle' })
  @ApiErrors('NOT_FOUND', 'VALIDATION_FAILED')
  @ApiOperation({ operationId: 'setMenuItemAvailability', summary: 'Mark a menu item available or sold out' })
  setAvailability(@IdParam() id: string, @Body() dto: AvailabilityDto): Promise<ItemResponse> {
    return this.items.setAvailability(this.context.tenant(), id, dto.isAvailable);
  }

  @Delete(':id')
  @Roles('owner', 'manager')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Soft-deleted: gone from lists and the public menu' })
  @ApiErrors('NOT_FOUND')
  @ApiOperation({ operationId: 'deleteMenuItem', summary: 'Delete a menu item' })
  async remove(@IdParam() id: string): Promise<void> {
    await this.items.remove(this.context.tenant(), id);
  }
}
