import { AppError, ROLE_RANK, type TenantRole } from '@coffee/common';

export interface Actor {
  userId: string | null;
  role: TenantRole;
}

/**
 * The contract's users matrix: owners manage everyone in their restaurant,
 * managers manage staff only, nobody grants a role above their own, and nobody
 * demotes or deactivates themselves (a restaurant must not lock itself out).
 */
export const UserAccessPolicy = {
  assertCanCreate(actor: Actor, role: TenantRole): void {
    if (actor.role === 'manager' && role !== 'staff') throw AppError.forbidden('Managers can create staff only');
    if (ROLE_RANK[role] > ROLE_RANK[actor.role]) throw AppError.forbidden('You cannot grant a role above your own');
  },

  assertCanChange(
    actor: Actor,
    target: { id: string; role: TenantRole },
    change: { role?: TenantRole; isActive?: boolean },
  ): void {
    if (actor.role === 'manager' && target.role !== 'staff') throw AppError.forbidden('Managers can manage staff only');
    if (change.role !== undefined) {
      if (actor.role === 'manager' && change.role !== 'staff')
        throw AppError.forbidden('Managers can manage staff only');
      if (ROLE_RANK[change.role] > ROLE_RANK[actor.role])
        throw AppError.forbidden('You cannot grant a role above your own');
    }
    if (
      target.id === actor.userId &&
      ((change.role !== undefined && change.role !== target.role) || change.isActive === false)
    ) {
      throw AppError.forbidden('You cannot change your own role or deactivate yourself');
    }
  },
};
