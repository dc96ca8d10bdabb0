import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { authConfig, type AuthConfig } from '@coffee/config';
import type { Role } from '@coffee/common';

export interface AccessClaims {
  sub: string;
  /** Restaurant id; null for a sysadmin. */
  rid: string | null;
  role: Role;
  /** Session (refresh-token family) id, which the CSRF token is bound to. */
  sid: string;
}

/** Access JWTs: HS256 only, with issuer, audience and an expiry (`ACCESS_TOKEN_TTL_SECONDS`, 15 minutes by default). */
@Injectable()
export class AccessTokens {
  constructor(
    private readonly jwt: JwtService,
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
  ) {}

  sign(claims: AccessClaims): string {
    return this.jwt.sign(
      { rid: claims.rid, role: claims.role, sid: claims.sid },
      {
        secret: this.config.jwtSecret,
        algorithm: 'HS256',
        subject: claims.sub,
        issuer: this.config.jwtIssuer,
        audience: this.config.jwtAudience,
        expiresIn: this.config.accessTokenTtlSeconds,
      },
    );
  }

  /** The claims of a valid token, or null for anything else (expired, forged, `alg: none`, other algorithms). */
  verify(token: string): AccessClaims | null {
    try {
      const payload = this.jwt.verify<Partial<AccessClaims> & { sub?: string }>(token, {
        secret: this.config.jwtSecret,
        algorithms: ['HS256'],
        issuer: this.config.jwtIssuer,
        audience: this.config.jwtAudience,
      });
      if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string' || typeof payload.role !== 'string')
        return null;
      return { sub: payload.sub, rid: payload.rid ?? null, role: payload.role, sid: payload.sid };
    } catch {
      return null;
    }
  }
}
