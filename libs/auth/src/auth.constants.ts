import type { CookieSerializeOptions } from '@fastify/cookie';

export const ACCESS_COOKIE = 'access_token';
export const REFRESH_COOKIE = 'refresh_token';
export const CSRF_COOKIE = 'csrf_token';
export const CSRF_HEADER = 'x-csrf-token';

/** The refresh cookie is sent only to the auth endpoints. */
export const REFRESH_COOKIE_PATH = '/api/v1/auth';

export const REFRESH_TTL_SECONDS = 7 * 24 * 60 * 60;

/** Per account: 5 failures within 15 minutes lock it for 15 minutes. */
export const LOCKOUT = { maxFailures: 5, windowMs: 15 * 60 * 1000, lockMs: 15 * 60 * 1000 };

/** The access cookie lives as long as the JWT in it (`ACCESS_TOKEN_TTL_SECONDS`). */
export function cookieOptions(
  secure: boolean,
  accessTtlSeconds: number,
): Record<'access' | 'refresh' | 'csrf', CookieSerializeOptions> {
  return {
    access: { httpOnly: true, sameSite: 'lax', path: '/', secure, maxAge: accessTtlSeconds },
    refresh: { httpOnly: true, sameSite: 'strict', path: REFRESH_COOKIE_PATH, secure, maxAge: REFRESH_TTL_SECONDS },
    // Readable by the SPA, which echoes it in X-CSRF-Token.
    csrf: { httpOnly: false, sameSite: 'strict', path: '/', secure, maxAge: REFRESH_TTL_SECONDS },
  };
}
