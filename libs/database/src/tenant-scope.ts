import type { EntityManager, EntityTarget, ObjectLiteral, Repository } from 'typeorm';

declare const tenantScopeBrand: unique symbol;

/**
 * The restaurant a repository call acts for, and the transaction it runs in.
 * Every method of a tenant-owned repository takes one first, so a query
 * without a restaurant does not compile; the brand means a plain
 * `{ restaurantId }` (say, one built from a request body) is not a scope.
 *
 * Scopes are made in a few trusted places only: from the verified caller
 * (`RequestContext.scope()` / `scopeOf(principal)` in `@coffee/tenancy`), by
 * the flow that has just created the restaurant, and by jobs that iterate
 * restaurants; each of them calls {@link trustedTenantScope}.
 *
 * Transactions: a use case opens one and passes `withManager(scope, manager)`
 * down, so the manager always travels inside the scope (never as a separate
 * argument). Methods that must run inside a transaction take a
 * {@link TransactionScope}. A read routed to a replica (`ReadReplica.readIn`)
 * travels the same way, in a scope made by {@link withReadManager}, which
 * write methods (they take a TransactionScope) do not accept.
 */
export interface TenantScope {
  readonly restaurantId: string;
  /** The manager to run on: a transaction's, or a read replica's connection; absent: the primary, no transaction. */
  readonly manager?: EntityManager;
  readonly [tenantScopeBrand]: true;
}

/** A scope inside a transaction (made by {@link withManager}). */
export interface TransactionScope extends TenantScope {
  readonly manager: EntityManager;
}

/**
 * Makes a scope for a restaurant id the caller has already verified. Only the
 * trusted places listed on {@link TenantScope} call this.
 */
export function trustedTenantScope(restaurantId: string): TenantScope {
  return { restaurantId } as TenantScope;
}

/** The same restaurant, inside the given transaction. */
export function withManager(scope: TenantScope, manager: EntityManager): TransactionScope {
  return { restaurantId: scope.restaurantId, manager } as TransactionScope;
}

/** The same restaurant, read through `manager` (a replica connection's): for reads only. */
export function withReadManager(scope: TenantScope, manager: EntityManager): TenantScope {
  return { restaurantId: scope.restaurantId, manager } as TenantScope;
}

/** The repository for `entity` on the scope's manager (its transaction or replica connection), else `fallback`. */
export function repositoryIn<T extends ObjectLiteral>(
  scope: TenantScope,
  entity: EntityTarget<T>,
  fallback: Repository<T>,
): Repository<T> {
  return scope.manager ? scope.manager.getRepository(entity) : fallback;
}
