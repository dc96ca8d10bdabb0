import { Injectable } from '@nestjs/common';
import type { TenantScope } from '@coffee/database';

export type LimitedResource = 'menuItems' | 'users' | 'apiKeys' | 'ordersPerMonth';

/**
 * How many of a resource a restaurant's plan allows (null: no limit). The
 * subscriptions library provides the real one; until then nothing is limited.
 * Inside a transaction, the scope carries its manager.
 */
export abstract class PlanLimits {
  abstract limitFor(scope: TenantScope, resource: LimitedResource): Promise<number | null>;
}

@Injectable()
export class NoPlanLimits extends PlanLimits {
  limitFor(): Promise<number | null> {
    return Promise.resolve(null);
  }
}
