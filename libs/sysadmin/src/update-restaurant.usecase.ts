import { Injectable } from '@nestjs/common';
import { AuditTrail } from '@coffee/audit';
import { AppError, Clock } from '@coffee/common';
import { TransactionRunner } from '@coffee/database';
import { MenuVersions } from '@coffee/menu';
import { AdminRestaurantRepository } from './admin-restaurant.repository';
import { restaurantChange } from './domain/restaurant-changes';
import {
  toAdminRestaurantResponse,
  type AdminRestaurantResponse,
  type UpdateRestaurantDto,
} from './dto/restaurant-admin.dto';

/**
 * Renaming, suspending and reactivating a restaurant from the console. Each
 * change and its audit row (`restaurant.updated`, `restaurant.suspended`,
 * `restaurant.reactivated`) are written in one transaction, under the
 * restaurant row's lock.
 *
 * After commit the restaurant's menu version is bumped, so every instance
 * drops its cached public menu within a second: the menu shows the name, and a
 * suspended restaurant's menu is a 404. Users, API keys, sign-in and refresh
 * need nothing more: they read the restaurant's status from the database on
 * every request.
 */
@Injectable()
export class UpdateRestaurantUseCase {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly restaurants: AdminRestaurantRepository,
    private readonly audit: AuditTrail,
    private readonly menuVersions: MenuVersions,
    private readonly clock: Clock,
  ) {}

  async execute(id: string, dto: UpdateRestaurantDto): Promise<AdminRestaurantResponse> {
    const { row, changed } = await this.transactions.run(async (manager) => {
      const current = await this.restaurants.lock(manager, id);
      if (!current) throw AppError.notFound('Restaurant');
      const change = restaurantChange(current, dto);
      if (change.audits.length > 0) await this.restaurants.update(manager, id, change.patch, this.clock.now());
      for (const entry of change.audits) {
        await this.audit.record(manager, { ...entry, restaurantId: id, targetType: 'restaurant', targetId: id });
      }
      const updated = await this.restaurants.find(id, manager);
      if (!updated) throw AppError.notFound('Restaurant');
      return { row: updated, changed: change.audits.length > 0 };
    });
    if (changed) await this.menuVersions.bump(id);
    return toAdminRestaurantResponse(row);
  }
}
