import { Body, Controller, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, IdParam, Roles, type Page } from '@coffee/common';
import { ChangePlanDto, SubscriptionResponse } from '@coffee/subscriptions';
import { CreatedRestaurantResponse, CreateRestaurantDto } from './dto/create-restaurant.dto';
import {
  AdminRestaurantResponse,
  ListRestaurantsQueryDto,
  RestaurantDetailResponse,
  RestaurantPageResponse,
  UpdateRestaurantDto,
} from './dto/restaurant-admin.dto';
import { SysadminRestaurantsService } from './sysadmin-restaurants.service';
import { UpdateRestaurantUseCase } from './update-restaurant.usecase';

@ApiTags('sysadmin')
// Writes list FORBIDDEN again beside CSRF_FAILED: a method's 403 entry replaces the class's.
@ApiErrors('UNAUTHENTICATED', 'FORBIDDEN')
@Roles('sysadmin')
@Controller('sysadmin/restaurants')
export class SysadminRestaurantsController {
  constructor(
    private readonly restaurants: SysadminRestaurantsService,
    private readonly updateRestaurant: UpdateRestaurantUseCase,
  ) {}

  @Post()
  @ApiBody({
    type: CreateRestaurantDto,
    examples: {
      cafe: {
        summary: 'A café on the pro plan with its owner',
        value: {
          name: 'Café Central',
          slug: 'cafe-central',
          currency: 'USD',
          timezone: 'America/Bogota',
          planCode: 'pro',
          owner: { email: 'owner@cafe.example', name: 'Olivia Owner', password: 'correct-horse-battery' },
        },
      },
    },
  })
  @ApiCreatedResponse({ type: CreatedRestaurantResponse, description: 'With a trial subscription and its owner' })
  @ApiErrors('FORBIDDEN', 'CSRF_FAILED', 'VALIDATION_FAILED', 'CONFLICT')
  @ApiOperation({ operationId: 'createRestaurant', summary: 'Create a restaurant with its owner and a trial' })
  createRestaurant(@Body() dto: CreateRestaurantDto): Promise<CreatedRestaurantResponse> {
    return this.restaurants.create(dto);
  }

  @Get()
  @ApiOkResponse({ type: RestaurantPageResponse, description: 'Every restaurant, newest first unless sorted' })
  @ApiErrors('VALIDATION_FAILED')
  @ApiOperation({ operationId: 'listRestaurants', summary: 'List restaurants' })
  list(@Query() query: ListRestaurantsQueryDto): Promise<Page<AdminRestaurantResponse>> {
    return this.restaurants.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: RestaurantDetailResponse, description: 'With its subscription and live usage' })
  @ApiErrors('NOT_FOUND')
  @ApiOperation({ operationId: 'getRestaurant', summary: 'Get a restaurant with its subscription and usage' })
  get(@IdParam() id: string): Promise<RestaurantDetailResponse> {
    return this.restaurants.get(id);
  }

  @Patch(':id')
  @ApiOkResponse({
    type: AdminRestaurantResponse,
    description:
      'Renamed, suspended or reactivated; each change is in the audit log (`restaurant.updated`, ' +
      '`restaurant.suspended`, `restaurant.reactivated`). Values equal to the current ones change nothing.',
  })
  @ApiErrors('FORBIDDEN', 'CSRF_FAILED', 'NOT_FOUND', 'VALIDATION_FAILED')
  @ApiOperation({ operationId: 'updateRestaurant', summary: 'Rename, suspend or reactivate a restaurant' })
  update(@IdParam() id: string, @Body() dto: UpdateRestaurantDto): Promise<AdminRestaurantResponse> {
    return this.updateRestaurant.execute(id, dto);
  }

  @Post(':id/plan')
  @HttpCode(200)
  @ApiOkResponse({
    type: SubscriptionResponse,
    description: 'The subscription on its new plan, `active`, as in `GET /subscriptions/current`',
  })
  @ApiErrors('FORBIDDEN', 'CSRF_FAILED', 'NOT_FOUND', 'VALIDATION_FAILED', 'CONFLICT')
  @ApiOperation({ operationId: 'changeRestaurantPlan', summary: 'Put a restaurant on a plan' })
  changePlan(@IdParam() id: string, @Body() dto: ChangePlanDto): Promise<SubscriptionResponse> {
    return this.restaurants.changePlan(id, dto.planCode);
  }
}
