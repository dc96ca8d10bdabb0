import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { TransactionRunner, trustedTenantScope, withManager } from '@coffee/database';
import { SubscriptionsService, type PlanCode } from '@coffee/subscriptions';
import { RestaurantRepository, type RestaurantEntity } from '@coffee/tenancy';
import { UsersService, type UserResponse } from '@coffee/users';

export const TEST_PASSWORD = 'correct-horse-battery-9';

export interface SeededRestaurant {
  restaurant: RestaurantEntity;
  owner: UserResponse;
  ownerPassword: string;
}

export function uniqueSlug(prefix = 'cafe'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

export function uniqueEmail(label = 'user'): string {
  return `${label}.${randomBytes(5).toString('hex')}@example.test`;
}

/**
 * A fresh restaurant with its trial subscription (enterprise unless asked: no
 * limits in the way of tests about something else) and its owner, written
 * through the same services the API uses.
 */
export async function seedRestaurant(
  app: INestApplication,
  overrides: Partial<RestaurantEntity & { planCode: PlanCode }> = {},
): Promise<SeededRestaurant> {
  return app.get(TransactionRunner).run(async (manager) => {
    const restaurant = await app.get(RestaurantRepository).insert(
      {
        name: overrides.name ?? 'Test Café',
        slug: overrides.slug ?? uniqueSlug(),
        currency: overrides.currency ?? 'USD',
        timezone: overrides.timezone ?? 'America/New_York',
      },
      manager,
    );
    await app.get(SubscriptionsService).startTrial(manager, restaurant.id, overrides.planCode ?? 'enterprise');
    const owner = await app.get(UsersService).createOwner(withManager(trustedTenantScope(restaurant.id), manager), {
      email: uniqueEmail('owner'),
      name: 'Olivia Owner',
      password: TEST_PASSWORD,
    });
    return { restaurant, owner, ownerPassword: TEST_PASSWORD };
  });
}
