import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SubscriptionEntity, type PlanCode } from '@coffee/subscriptions';
import { seedRestaurant } from './restaurant.factory';

const DAY = 24 * 3600 * 1000;

/**
 * A new restaurant whose 14-day trial ended a day ago: its own subscription's
 * dates are moved 15 days back, so the lifecycle job finds it due at the real
 * time without moving any other suite's restaurants.
 */
export async function seedEndedTrial(app: INestApplication, planCode: PlanCode): Promise<SubscriptionEntity> {
  const { restaurant } = await seedRestaurant(app, { planCode });
  const subscriptions = app.get(DataSource).getRepository(SubscriptionEntity);
  const subscription = await subscriptions.findOneByOrFail({ restaurantId: restaurant.id });
  await subscriptions.update(
    { id: subscription.id },
    {
      currentPeriodStart: new Date(subscription.currentPeriodStart.getTime() - 15 * DAY),
      currentPeriodEnd: new Date(subscription.currentPeriodEnd.getTime() - 15 * DAY),
    },
  );
  return subscriptions.findOneByOrFail({ id: subscription.id });
}
