import { randomBytes } from 'node:crypto';
import { Transform } from 'class-transformer';
import { IsBooleanString, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { isProductionLike, type AppVariables } from './app.env';
import { toInt } from './parsing';

/** Sessions, the first sysadmin, login and request throttling. */
export class AuthVariables {
  @IsString()
  @IsOptional()
  JWT_SECRET?: string;

  @IsBooleanString()
  @IsOptional()
  COOKIE_SECURE?: string;

  /**
   * Lifetime of the access JWT and its cookie; the SPA refreshes after it. The
   * contract's 15 minutes unless a test needs to see an expiry.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86_400)
  ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

  @IsString()
  @IsOptional()
  SYSADMIN_EMAIL?: string;

  @IsString()
  @IsOptional()
  SYSADMIN_PASSWORD?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_IP_MAX_FAILURES = 20;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_IP_WINDOW_SECONDS = 60;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  AUTH_FAILURE_IP_LIMIT = 1000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  THROTTLE_LIMIT = 1200;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  THROTTLE_TTL_SECONDS = 60;
}

let generatedDevSecret: string | undefined;

export function authConfigFrom(env: AuthVariables & Pick<AppVariables, 'NODE_ENV'>) {
  // Outside production a missing secret gets a random one per process: sessions
  // then end with the process, which is what a first look needs.
  generatedDevSecret ??= randomBytes(32).toString('hex');
  return {
    jwtSecret: env.JWT_SECRET ?? generatedDevSecret,
    jwtSecretGenerated: env.JWT_SECRET === undefined,
    jwtIssuer: 'coffee-admin',
    jwtAudience: 'coffee-admin-api',
    accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: 7 * 24 * 60 * 60,
    cookieSecure: env.COOKIE_SECURE === undefined ? isProductionLike(env.NODE_ENV) : env.COOKIE_SECURE === 'true',
    sysadminEmail: env.SYSADMIN_EMAIL ?? null,
    loginIpMaxFailures: env.LOGIN_IP_MAX_FAILURES,
    loginIpWindowMs: env.LOGIN_IP_WINDOW_SECONDS * 1000,
    authFailureIpLimit: env.AUTH_FAILURE_IP_LIMIT,
    throttleLimit: env.THROTTLE_LIMIT,
    throttleTtlMs: env.THROTTLE_TTL_SECONDS * 1000,
    sysadminPassword: env.SYSADMIN_PASSWORD ?? null,
  };
}
