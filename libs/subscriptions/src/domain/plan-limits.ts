import type { LimitedResource } from '@coffee/tenancy';

/** A plan's limits; null = unlimited. */
export type Limits = Record<LimitedResource, number | null>;
export type Usage = Record<LimitedResource, number>;

const NAMES: Record<LimitedResource, string> = {
  users: 'active users',
  menuItems: 'menu items',
  apiKeys: 'API keys',
  ordersPerMonth: 'orders per month',
};

/** The contract's name for each limit (`maxUsers`…), used in messages a client may parse. */
export const LIMIT_FIELDS: Record<LimitedResource, string> = {
  users: 'maxUsers',
  menuItems: 'maxMenuItems',
  apiKeys: 'maxApiKeys',
  ordersPerMonth: 'maxOrdersPerMonth',
};

/** Whether `adding` more fit beside `used` under `limit`. */
export function hasRoom(limit: number | null, used: number, adding = 1): boolean {
  return limit === null || used + adding <= limit;
}

/** The limits that current usage already exceeds under `limits`: what a downgrade must not cross. */
export function exceededLimits(limits: Limits, usage: Usage): LimitedResource[] {
  return (Object.keys(limits) as LimitedResource[]).filter(
    (resource) => !hasRoom(limits[resource], usage[resource], 0),
  );
}

export function describeLimit(resource: LimitedResource, limit: number): string {
  return `${limit} ${NAMES[resource]}`;
}
