import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export type LimitedResource = 'menuItems' | 'users' | 'apiKeys' | 'ordersPerMonth';

/**
 * How many of a resource a restaurant's plan allows (null: no limit). The
 * subscriptions library provides the real one; until then nothing is limited.
 */
export abstract class PlanLimits {
  abstract limitFor(restaurantId: string, resource: LimitedResource, manager?: EntityManager): Promise<number | null>;
}

@Injectable()
export class NoPlanLimits extends PlanLimits {
  limitFor(): Promise<number | null> {
    return Promise.resolve(null);
  }
}
