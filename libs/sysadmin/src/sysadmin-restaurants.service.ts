import { Injectable } from '@nestjs/common';
import { AuditTrail } from '@coffee/audit';
import { TransactionRunner, trustedTenantScope, withManager } from '@coffee/database';
import { SubscriptionsService } from '@coffee/subscriptions';
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
    private readonly subscriptions: SubscriptionsService,
    private readonly users: UsersService,
    private readonly audit: AuditTrail,
  ) {}

  /**
   * The restaurant, its trial subscription, its owner and the audit rows in one
   * transaction: a clash on any leaves nothing behind.
   */
  create(dto: CreateRestaurantDto): Promise<CreatedRestaurantResponse> {
    return this.transactions.run(async (manager) => {
      const restaurant = await this.restaurants.insert(
        { name: dto.name, slug: dto.slug, currency: dto.currency, timezone: dto.timezone },
        manager,
      );
      const subscription = await this.subscriptions.startTrial(manager, restaurant.id, dto.planCode);
      // A trusted source of a tenant scope: the restaurant this transaction has just created.
      const owner = await this.users.createOwner(withManager(trustedTenantScope(restaurant.id), manager), dto.owner);
      const response = toRestaurantResponse(restaurant, subscription.planCode);
      await this.audit.record(manager, {
        action: 'restaurant.created',
        restaurantId: restaurant.id,
        targetType: 'restaurant',
        targetId: restaurant.id,
        after: { ...response, subscriptionStatus: subscription.status, ownerId: owner.id },
      });
      return { restaurant: response, owner };
    });
  }
}
