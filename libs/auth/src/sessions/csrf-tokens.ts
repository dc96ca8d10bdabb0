import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { authConfig, type AuthConfig } from '@coffee/config';

/**
 * Signed double-submit CSRF tokens bound to the session (OWASP): the cookie
 * and the header must match, and the token must carry an HMAC of the session
 * id, so a token planted by a sibling subdomain (cookie tossing) is useless.
 */
@Injectable()
export class CsrfTokens {
  private readonly key: Buffer;

  constructor(@Inject(authConfig.KEY) config: AuthConfig) {
    this.key = createHmac('sha256', config.jwtSecret).update('csrf-token-key').digest();
  }

  issue(sessionId: string): string {
    const nonce = randomBytes(18).toString('base64url');
    return `${nonce}.${this.sign(sessionId, nonce)}`;
  }

  verify(sessionId: string, cookieToken: string | undefined, headerToken: string | undefined): boolean {
    if (!cookieToken || !headerToken || !safeEqual(cookieToken, headerToken)) return false;
    const [nonce, signature, extra] = headerToken.split('.');
    if (!nonce || !signature || extra !== undefined) return false;
    return safeEqual(signature, this.sign(sessionId, nonce));
  }

  private sign(sessionId: string, nonce: string): string {
    return createHmac('sha256', this.key).update(`${sessionId}.${nonce}`).digest('base64url');
  }
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
