import { Injectable } from '@nestjs/common';
import { AuditTrail } from '@coffee/audit';
import { AppError, offsetPage, parseSort, type Page } from '@coffee/common';
import { TransactionRunner, trustedTenantScope, withManager, type TenantScope } from '@coffee/database';
import { SubscriptionsService, type SubscriptionResponse } from '@coffee/subscriptions';
import { RestaurantRepository } from '@coffee/tenancy';
import { UsersService } from '@coffee/users';
import { AdminRestaurantRepository } from './admin-restaurant.repository';
import {
  toRestaurantResponse,
  type CreateRestaurantDto,
  type CreatedRestaurantResponse,
} from './dto/create-restaurant.dto';
import {
  RESTAURANT_SORT_FIELDS,
  toAdminRestaurantResponse,
  type AdminRestaurantResponse,
  type ListRestaurantsQueryDto,
  type RestaurantDetailResponse,
} from './dto/restaurant-admin.dto';

const restaurantNotFound = (): AppError => AppError.notFound('Restaurant');

/**
 * Platform staff managing tenants: creating, listing and reading restaurants
 * and changing their plan (renaming, suspending and reactivating are
 * UpdateRestaurantUseCase). The console acts on a restaurant chosen by id, so
 * this is one of the trusted places that make a tenant scope from a bare id
 * (see TenantScope): the caller is a sysadmin (the controller's
 * `@Roles('sysadmin')`) and the id names an existing restaurant (checked
 * first, 404 otherwise).
 */
@Injectable()
export class SysadminRestaurantsService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly restaurants: RestaurantRepository,
    private readonly adminRestaurants: AdminRestaurantRepository,
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

  async list(query: ListRestaurantsQueryDto): Promise<Page<AdminRestaurantResponse>> {
    const sort = parseSort(query.sort, RESTAURANT_SORT_FIELDS, { field: 'createdAt', direction: 'DESC' });
    const filters = {
      ...(query.q && { q: query.q }),
      ...(query.status && { status: query.status }),
      ...(query.planCode && { planCode: query.planCode }),
    };
    const [rows, total] = await this.adminRestaurants.list(filters, sort, query);
    return offsetPage(rows.map(toAdminRestaurantResponse), total, query);
  }

  /** The restaurant with its subscription and live usage, as its owner would see them. */
  async get(id: string): Promise<RestaurantDetailResponse> {
    const row = await this.adminRestaurants.find(id);
    if (!row) throw restaurantNotFound();
    const subscription = await this.subscriptions.current(this.scopeOf(row.id));
    return { ...toAdminRestaurantResponse(row), subscription };
  }

  /**
   * The owner's plan change, made by platform staff: the same rules (a
   * downgrade below current usage is 409) and the same `restaurant.plan_changed`
   * audit row, with the sysadmin as the actor.
   */
  async changePlan(id: string, planCode: string): Promise<SubscriptionResponse> {
    const row = await this.adminRestaurants.find(id);
    if (!row) throw restaurantNotFound();
    return this.subscriptions.changePlan(this.scopeOf(row.id), planCode);
  }

  /** A restaurant the console has just found by id (see the class comment). */
  private scopeOf(restaurantId: string): TenantScope {
    return trustedTenantScope(restaurantId);
  }
}
