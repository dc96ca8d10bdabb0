import { Injectable } from '@nestjs/common';
import { ClsService, type ClsStore } from 'nestjs-cls';

/** Who is calling, filled only from verified credentials (never from the body, query or a header). */
export interface Principal {
  userId: string | null;
  restaurantId: string | null;
  role: string;
  scopes: readonly string[];
  via: 'cookie' | 'bearer-jwt' | 'api-key';
}

export interface RequestContextStore extends ClsStore {
  principal?: Principal;
  ip?: string;
}

/** Typed access to the per-request context held in AsyncLocalStorage. */
@Injectable()
export class RequestContext {
  constructor(private readonly cls: ClsService<RequestContextStore>) {}

  get active(): boolean {
    return this.cls.isActive();
  }

  get requestId(): string | undefined {
    return this.cls.isActive() ? this.cls.getId() : undefined;
  }

  get principal(): Principal | undefined {
    return this.cls.isActive() ? this.cls.get('principal') : undefined;
  }

  setPrincipal(principal: Principal): void {
    this.cls.set('principal', principal);
  }

  /** Fields for log lines and audit entries. */
  logFields(): Record<string, unknown> {
    const principal = this.principal;
    return principal ? { restaurantId: principal.restaurantId, userId: principal.userId } : {};
  }
}
