import '@fastify/cookie';
import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppError } from '@coffee/common';
import type { Principal, TenantStanding } from '@coffee/tenancy';
import { ACCESS_COOKIE } from '../auth.constants';
import { ApiKeysService, API_KEY_PREFIX } from '../api-keys/api-keys.service';
import { AccessTokens } from '../sessions/access-tokens';
import { RefreshTokenRepository } from '../sessions/refresh-token.repository';

/** A verified caller and its restaurant's standing as read for this request (nulls: no restaurant). */
export interface Authentication {
  principal: Principal;
  standing: TenantStanding;
}

/**
 * Turns a request's credentials (bearer API key, bearer JWT or the access
 * cookie) into a principal, checking each against the database on every
 * request: a JWT's signature proves who signed in, not that the session, the
 * user's role and active flag, or the restaurant are still what they were.
 *
 * Why no cache in front of that check: logout, logout-all, a password change,
 * a role change, a deactivation and a suspension must hold on the very next
 * request on every instance. A cache of "valid" (in Redis or in process) can
 * keep a revoked session alive whenever its invalidation is lost (a Redis
 * write failing after the database commit, a pub/sub message missed during a
 * reconnect), i.e. it fails open; a cache of "revoked" saves nothing on the
 * requests that matter. The check is one indexed query (see
 * RefreshTokenRepository.liveSession), replacing the Redis round trip of the
 * old tenant-status cache, and it needs no Redis at all, so a Redis outage can neither
 * open nor close it. Measured in docs/security.md (`npm run bench -- orders-list`).
 */
@Injectable()
export class Authenticator {
  constructor(
    private readonly accessTokens: AccessTokens,
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly apiKeys: ApiKeysService,
  ) {}

  /** The caller, or null without credentials. Bad credentials throw 401 when `required`, else count as none. */
  async authenticate(request: FastifyRequest, required: boolean): Promise<Authentication | null> {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const found = match?.[1] ? await this.fromBearer(match[1]) : null;
      if (!found && required) throw AppError.unauthenticated('The bearer token is invalid, expired or revoked');
      return found;
    }
    const cookie = request.cookies[ACCESS_COOKIE];
    if (!cookie) return null;
    const found = await this.fromJwt(cookie, 'cookie');
    if (!found && required) throw AppError.unauthenticated('The session has ended; refresh or sign in again');
    return found;
  }

  private async fromBearer(token: string): Promise<Authentication | null> {
    if (!token.startsWith(API_KEY_PREFIX)) return this.fromJwt(token, 'bearer');
    const key = await this.apiKeys.verify(token);
    if (!key) return null;
    return {
      principal: {
        userId: null,
        restaurantId: key.restaurantId,
        role: 'integration',
        scopes: key.scopes,
        via: 'api-key',
        sessionId: null,
        apiKeyId: key.id,
      },
      standing: key.standing,
    };
  }

  private async fromJwt(token: string, via: 'cookie' | 'bearer'): Promise<Authentication | null> {
    const claims = this.accessTokens.verify(token);
    if (!claims) return null;
    const live = await this.refreshTokens.liveSession(claims.sub, claims.sid);
    if (!live || !live.isActive) return null;
    return {
      // The role and restaurant as they are now: a demotion applies to tokens already issued.
      principal: {
        userId: claims.sub,
        restaurantId: live.restaurantId,
        role: live.role,
        scopes: [],
        via,
        sessionId: claims.sid,
        apiKeyId: null,
      },
      standing: { restaurantStatus: live.restaurantStatus, subscription: live.subscription },
    };
  }
}
