import { Injectable } from '@nestjs/common';
import { ClsService, type ClsStore } from 'nestjs-cls';
import { AppError, type ApiKeyScope, type Role } from '@coffee/common';
import { trustedTenantScope, type TenantScope } from '@coffee/database';

/** Who is calling, filled only from verified credentials (never from the body, query or a header). */
export interface Principal {
  /** The user, or null for an API key. */
  userId: string | null;
  /** Null only for a sysadmin. */
  restaurantId: string | null;
  role: Role | 'integration';
  scopes: readonly ApiKeyScope[];
  via: 'cookie' | 'bearer' | 'api-key';
  /** The login session (refresh-token family) behind a user's token. */
  sessionId: string | null;
  apiKeyId: string | null;
}

/** A principal acting inside one restaurant. */
export interface TenantPrincipal extends Principal {
  restaurantId: string;
}

/**
 * The tenant scope repositories take, for a principal (filled only from
 * verified credentials). Services call this with the principal their
 * controller got from {@link RequestContext.tenant}.
 */
export function scopeOf(principal: TenantPrincipal): TenantScope {
  return trustedTenantScope(principal.restaurantId);
}

export interface RequestContextStore extends ClsStore {
  principal?: Principal;
  /** The client's address as Fastify resolved it (TRUST_PROXY decides whether X-Forwarded-For counts). */
  ip?: string;
}

/** Typed access to the per-request context held in AsyncLocalStorage. */
@Injectable()
export class RequestContext {
  constructor(private readonly cls: ClsService<RequestContextStore>) {}

  get requestId(): string | undefined {
    return this.cls.isActive() ? this.cls.getId() : undefined;
  }

  get principal(): Principal | undefined {
    return this.cls.isActive() ? this.cls.get('principal') : undefined;
  }

  setPrincipal(principal: Principal): void {
    this.cls.set('principal', principal);
  }

  get ip(): string | undefined {
    return this.cls.isActive() ? this.cls.get('ip') : undefined;
  }

  setIp(ip: string): void {
    if (this.cls.isActive()) this.cls.set('ip', ip);
  }

  /** The caller acting for a restaurant; routes guarded for tenant roles always have one. */
  tenant(): TenantPrincipal {
    const principal = this.principal;
    if (!principal) throw AppError.unauthenticated();
    if (!principal.restaurantId) throw AppError.forbidden('This route belongs to a restaurant');
    return principal as TenantPrincipal;
  }

  /** The caller's restaurant as a tenant scope, for repositories. */
  scope(): TenantScope {
    return scopeOf(this.tenant());
  }

  /** The signed-in user (not an API key). */
  user(): Principal & { userId: string } {
    const principal = this.principal;
    if (!principal?.userId) throw AppError.unauthenticated();
    return principal as Principal & { userId: string };
  }
}
