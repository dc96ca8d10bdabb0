import { RequestMethod, SetMetadata } from '@nestjs/common';

export const ROLES = ['sysadmin', 'owner', 'manager', 'staff'] as const;
export type Role = (typeof ROLES)[number];
export const TENANT_ROLES = ['owner', 'manager', 'staff'] as const satisfies readonly Role[];
export type TenantRole = (typeof TENANT_ROLES)[number];

/** What an integrator's API key may be allowed to do. */
export const API_KEY_SCOPES = ['menu:read', 'orders:read', 'orders:write', 'reports:read'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** Rank for "nobody can raise a role above their own" (sysadmin is outside restaurants). */
export const ROLE_RANK: Record<TenantRole, number> = { staff: 1, manager: 2, owner: 3 };

export const ACCESS_METADATA = 'coffee:access';

/** How a route may be called. Every route declares one (a test walks them all). */
export type AccessRule =
  | { kind: 'public' }
  | { kind: 'authenticated' }
  | { kind: 'roles'; roles: readonly Role[]; scopes: readonly ApiKeyScope[] };

/** No credentials needed (health, login, the public menu). */
export const Public = (): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_METADATA, { kind: 'public' } satisfies AccessRule);

/** Any signed-in user, whatever the role (own profile, logout); not API keys. */
export const Authenticated = (): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_METADATA, { kind: 'authenticated' } satisfies AccessRule);

/**
 * Users with one of `roles`; with `scopes`, also API keys holding one of them.
 * `@Access(['owner', 'manager', 'staff'], ['menu:read'])`.
 */
export const Access = (roles: readonly Role[], scopes: readonly ApiKeyScope[] = []): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_METADATA, { kind: 'roles', roles, scopes } satisfies AccessRule);

/** Shorthand for `@Access(roles)`: users with one of these roles, no API keys. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => Access(roles);

/**
 * Hot public reads served straight by Fastify (not Nest controllers): the
 * per-request Nest middlewares (request logger, CLS) skip them. Paths are
 * relative to the /api/v1 prefix.
 */
export const FASTIFY_ONLY_ROUTES = [{ path: 'public/restaurants/:slug/menu', method: RequestMethod.GET }];

export const WRITABLE_WHEN_INACTIVE = 'coffee:writable-when-inactive';

/**
 * A tenant write that still works while the subscription is inactive
 * (canceled, or past due beyond the grace period): the way back, `change-plan`.
 * Every other tenant write then answers 403 `SUBSCRIPTION_INACTIVE` (AuthGuard).
 */
export const WritableWhenInactive = (): MethodDecorator => SetMetadata(WRITABLE_WHEN_INACTIVE, true);
