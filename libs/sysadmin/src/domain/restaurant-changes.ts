import type { AuditAction } from '@coffee/audit';
import type { RestaurantStatus } from '@coffee/tenancy';

/** What the console may change on a restaurant. */
export interface RestaurantPatch {
  name?: string;
  status?: RestaurantStatus;
}

export interface RestaurantChange {
  /** The columns to write; empty when the request changes nothing. */
  patch: RestaurantPatch;
  /** One audit entry per kind of change, in the order they are written. */
  audits: { action: AuditAction; before: Record<string, unknown>; after: Record<string, unknown> }[];
}

/**
 * What a PATCH really changes, and how each change is audited: a rename is
 * `restaurant.updated`, a status change `restaurant.suspended` or
 * `restaurant.reactivated`. A value equal to the current one is no change (no
 * write, no audit row), so replaying a PATCH is harmless.
 */
export function restaurantChange(current: Required<RestaurantPatch>, requested: RestaurantPatch): RestaurantChange {
  const change: RestaurantChange = { patch: {}, audits: [] };
  if (requested.name !== undefined && requested.name !== current.name) {
    change.patch.name = requested.name;
    change.audits.push({
      action: 'restaurant.updated',
      before: { name: current.name },
      after: { name: requested.name },
    });
  }
  if (requested.status !== undefined && requested.status !== current.status) {
    change.patch.status = requested.status;
    change.audits.push({
      action: requested.status === 'suspended' ? 'restaurant.suspended' : 'restaurant.reactivated',
      before: { status: current.status },
      after: { status: requested.status },
    });
  }
  return change;
}
