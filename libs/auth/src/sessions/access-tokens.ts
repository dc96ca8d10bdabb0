import { createSecretKey } from 'node:crypto';
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

/**
 * Access JWTs: HS256 only, with issuer, audience and an expiry
 * (`ACCESS_TOKEN_TTL_SECONDS`, 15 minutes by default).
 *
 * The secret is turned into a KeyObject once. Given a string, jsonwebtoken
 * tries it as a PEM public key on every verification (a failed parse and a
 * thrown error each time: the dearest step of authenticating a request) before
 * falling back to a secret key.
 */
@Injectable()
export class AccessTokens {
  private readonly jwt: JwtService;

  constructor(@Inject(authConfig.KEY) private readonly config: AuthConfig) {
    const key = createSecretKey(Buffer.from(config.jwtSecret));
    this.jwt = new JwtService({ secretOrKeyProvider: () => key });
  }

  sign(claims: AccessClaims): string {
    return this.jwt.sign(
      { rid: claims.rid, role: claims.role, sid: claims.sid },
      {
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
