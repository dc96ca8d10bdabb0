import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Roles } from '@coffee/common';
import { CreatedRestaurantResponse, CreateRestaurantDto } from './dto/create-restaurant.dto';
import { SysadminRestaurantsService } from './sysadmin-restaurants.service';

@ApiTags('sysadmin')
@ApiCookieAuth('cookie')
@ApiBearerAuth('bearer')
@ApiErrors('UNAUTHENTICATED', 'FORBIDDEN', 'CSRF_FAILED')
@Roles('sysadmin')
@Controller('sysadmin')
export class SysadminController {
  constructor(private readonly restaurants: SysadminRestaurantsService) {}

  @Post('restaurants')
  @ApiCreatedResponse({ type: CreatedRestaurantResponse })
  @ApiErrors('VALIDATION_FAILED', 'CONFLICT')
  createRestaurant(@Body() dto: CreateRestaurantDto): Promise<CreatedRestaurantResponse> {
    return this.restaurants.create(dto);
  }
}
