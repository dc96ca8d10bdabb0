import { applyDecorators, RequestMethod, SetMetadata } from '@nestjs/common';
import { ApiExtension, ApiSecurity } from '@nestjs/swagger';

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

/** The OpenAPI security schemes (apps/api's document declares them). */
export const SECURITY_SCHEMES = { cookie: 'cookie', bearer: 'bearer', apiKey: 'api-key' } as const;

/**
 * What the document shows for a rule, derived from the same declaration the
 * guard enforces so the two cannot drift: the security schemes (none for a
 * public route; the document builder writes `security: []` there), and the
 * rule itself as the `x-access` extension, from which the builder writes the
 * operation's "Access" line. Roles and scopes are not put in the requirements'
 * arrays: OpenAPI 3.1 allows it, but tools (Spectral, generators) expect
 * OAuth scopes there.
 */
function documentAccess(rule: AccessRule): ClassDecorator & MethodDecorator {
  const extension = ApiExtension(ACCESS_EXTENSION, rule);
  if (rule.kind === 'public') return applyDecorators(extension);
  return applyDecorators(
    extension,
    ApiSecurity(SECURITY_SCHEMES.cookie),
    ApiSecurity(SECURITY_SCHEMES.bearer),
    ...(rule.kind === 'roles' && rule.scopes.length > 0 ? [ApiSecurity(SECURITY_SCHEMES.apiKey)] : []),
  );
}

/** The OpenAPI extension holding a route's AccessRule. */
export const ACCESS_EXTENSION = 'x-access';

function declareAccess(rule: AccessRule): MethodDecorator & ClassDecorator {
  // Fresh decorators on each use: one `READ = Access(...)` decorates many methods, and
  // ApiSecurity accumulates its requirements in its closure.
  return (target: object, key?: string | symbol, descriptor?: PropertyDescriptor): void => {
    applyDecorators(SetMetadata(ACCESS_METADATA, rule), documentAccess(rule))(
      target,
      key as string | symbol,
      descriptor as TypedPropertyDescriptor<unknown>,
    );
  };
}

/** No credentials needed (health, login, the public menu). */
export const Public = (): MethodDecorator & ClassDecorator => declareAccess({ kind: 'public' });

/** Any signed-in user, whatever the role (own profile, logout); not API keys. */
export const Authenticated = (): MethodDecorator & ClassDecorator => declareAccess({ kind: 'authenticated' });

/**
 * Users with one of `roles`; with `scopes`, also API keys holding one of them.
 * `@Access(['owner', 'manager', 'staff'], ['menu:read'])`.
 */
export const Access = (roles: readonly Role[], scopes: readonly ApiKeyScope[] = []): MethodDecorator & ClassDecorator =>
  declareAccess({ kind: 'roles', roles, scopes });

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
