import { Injectable } from '@nestjs/common';
import { TransactionRunner, trustedTenantScope, withManager } from '@coffee/database';
import { RestaurantRepository } from '@coffee/tenancy';
import { UsersService } from '@coffee/users';
import {
  toRestaurantResponse,
  type CreateRestaurantDto,
  type CreatedRestaurantResponse,
} from './dto/create-restaurant.dto';

/** Platform staff creating tenants. */
@Injectable()
export class SysadminRestaurantsService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly restaurants: RestaurantRepository,
    private readonly users: UsersService,
  ) {}

  /** The restaurant and its owner in one transaction: a clash on either leaves nothing behind. */
  create(dto: CreateRestaurantDto): Promise<CreatedRestaurantResponse> {
    return this.transactions.run(async (manager) => {
      const restaurant = await this.restaurants.insert(
        { name: dto.name, slug: dto.slug, currency: dto.currency, timezone: dto.timezone, planCode: dto.planCode },
        manager,
      );
      // A trusted source of a tenant scope: the restaurant this transaction has just created.
      const owner = await this.users.createOwner(withManager(trustedTenantScope(restaurant.id), manager), dto.owner);
      return { restaurant: toRestaurantResponse(restaurant), owner };
    });
  }
}
