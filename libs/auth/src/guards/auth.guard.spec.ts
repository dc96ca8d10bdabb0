import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ACCESS_METADATA, AppError, FixedClock, WRITABLE_WHEN_INACTIVE, type AccessRule } from '@coffee/common';
import { appConfigFrom, authConfigFrom, redisConfigFrom, validateEnvironment } from '@coffee/config';
import { MetricsService } from '@coffee/metrics';
import type { Principal, RequestContext, SubscriptionStanding } from '@coffee/tenancy';
import type { ApiKeysService } from '../api-keys/api-keys.service';
import type { AccessTokens } from '../sessions/access-tokens';
import type { CsrfTokens } from '../sessions/csrf-tokens';
import type { LiveSession, RefreshTokenRepository } from '../sessions/refresh-token.repository';
import { AuthFailureLimit } from '../throttling/auth-failure-limit';
import { HitCounter } from '../throttling/hit-counter';
import { AuthGuard } from './auth.guard';
import { Authenticator } from './authenticator';
import { CSRF_EXEMPT } from './csrf-exempt.decorator';

const NOW = new Date('2026-06-15T12:00:00Z');
const daysAgo = (days: number): Date => new Date(NOW.getTime() - days * 86_400_000);

interface FakeRequest {
  method: string;
  headers: Record<string, string>;
  cookies: Record<string, string>;
  ip: string;
}

interface SetupOptions {
  csrfExempt?: boolean;
  writableWhenInactive?: boolean;
  tenantStatus?: string;
  subscription?: SubscriptionStanding | null;
  /** What the database says about the JWT's session now (null: revoked). */
  live?: Partial<LiveSession> | null;
  maxFailures?: number;
}

function setup(rule: AccessRule | undefined, options: SetupOptions = {}) {
  const handler = () => undefined;
  class Controller {}
  if (rule) Reflect.defineMetadata(ACCESS_METADATA, rule, handler);
  if (options.csrfExempt) Reflect.defineMetadata(CSRF_EXEMPT, true, handler);
  if (options.writableWhenInactive) Reflect.defineMetadata(WRITABLE_WHEN_INACTIVE, true, handler);
  const subscription =
    options.subscription === undefined ? { status: 'active' as const, pastDueSince: null } : options.subscription;
  const claims = { sub: 'u1', rid: 'r1', role: 'manager', sid: 's1' };
  const accessTokens = { verify: jest.fn((token: string) => (token === 'good-jwt' ? claims : null)) };
  const apiKeys = {
    verify: jest.fn((key: string) =>
      key.startsWith('ck_live_good')
        ? {
            id: 'k1',
            restaurantId: 'r1',
            scopes: ['menu:read'],
            standing: { restaurantStatus: options.tenantStatus ?? 'active', subscription },
          }
        : null,
    ),
  };
  const csrf = {
    verify: jest.fn(
      (sid: string, cookie?: string, header?: string) => sid === 's1' && cookie === 'ok' && header === 'ok',
    ),
  };
  const context = { setPrincipal: jest.fn(), setIp: jest.fn() };
  const refreshTokens = {
    liveSession: jest.fn().mockResolvedValue(
      options.live === null
        ? null
        : {
            role: 'manager',
            isActive: true,
            restaurantId: 'r1',
            restaurantStatus: options.tenantStatus ?? 'active',
            subscription,
            ...options.live,
          },
    ),
  };
  const env = validateEnvironment({
    CORS_ORIGINS: 'https://spa.test',
    AUTH_FAILURE_IP_LIMIT: String(options.maxFailures ?? 1000),
  });
  const failures = new AuthFailureLimit(
    new HitCounter(null, redisConfigFrom(env)),
    authConfigFrom(env),
    new MetricsService(),
  );
  const authenticator = new Authenticator(
    accessTokens as unknown as AccessTokens,
    refreshTokens as unknown as RefreshTokenRepository,
    apiKeys as unknown as ApiKeysService,
  );
  const guard = new AuthGuard(
    new Reflector(),
    authenticator,
    csrf as unknown as CsrfTokens,
    failures,
    context as unknown as RequestContext,
    appConfigFrom(env),
    new FixedClock(NOW),
  );
  const run = async (request: Partial<FakeRequest>): Promise<string | Principal> => {
    const req: FakeRequest = { method: 'GET', headers: { host: 'api.test' }, cookies: {}, ip: '10.0.0.1', ...request };
    const ctx = {
      getType: () => 'http',
      getHandler: () => handler,
      getClass: () => Controller,
      switchToHttp: () => ({ getRequest: () => req }),
    } as unknown as ExecutionContext;
    try {
      await guard.canActivate(ctx);
      return (context.setPrincipal.mock.calls.at(-1)?.[0] as Principal | undefined) ?? 'anonymous';
    } catch (error) {
      return error instanceof AppError ? error.code : 'OTHER';
    }
  };
  return { run, accessTokens, refreshTokens, apiKeys };
}

const managers: AccessRule = { kind: 'roles', roles: ['owner', 'manager'], scopes: ['menu:read'] };

describe('AuthGuard', () => {
  it('refuses a route that declares nothing', async () => {
    expect(await setup(undefined).run({})).toBe('FORBIDDEN');
  });

  it('lets anyone through a public route, ignoring bad credentials', async () => {
    const { run } = setup({ kind: 'public' });
    expect(await run({})).toBe('anonymous');
    expect(await run({ headers: { authorization: 'Bearer nonsense' } })).toBe('anonymous');
  });

  it('requires credentials elsewhere (401) and rejects bad ones', async () => {
    const { run } = setup(managers);
    expect(await run({})).toBe('UNAUTHENTICATED');
    expect(await run({ headers: { authorization: 'Bearer bad-jwt' } })).toBe('UNAUTHENTICATED');
    expect(await run({ cookies: { access_token: 'expired' } })).toBe('UNAUTHENTICATED');
    expect(await run({ headers: { authorization: 'Basic abc' } })).toBe('UNAUTHENTICATED');
  });

  it('accepts a bearer JWT, a cookie JWT and an API key, recording how', async () => {
    const { run } = setup(managers);
    expect(await run({ headers: { authorization: 'Bearer good-jwt' } })).toMatchObject({
      userId: 'u1',
      via: 'bearer',
      role: 'manager',
    });
    expect(await run({ cookies: { access_token: 'good-jwt' } })).toMatchObject({ via: 'cookie', sessionId: 's1' });
    expect(await run({ headers: { authorization: 'Bearer ck_live_good' } })).toMatchObject({
      via: 'api-key',
      userId: null,
      restaurantId: 'r1',
    });
  });

  it('checks CSRF on cookie writes only, except where exempt', async () => {
    const { run } = setup(managers);
    expect(await run({ method: 'POST', cookies: { access_token: 'good-jwt' } })).toBe('CSRF_FAILED');
    expect(
      await run({
        method: 'DELETE',
        cookies: { access_token: 'good-jwt', csrf_token: 'ok' },
        headers: { 'x-csrf-token': 'ok' },
      }),
    ).toMatchObject({ via: 'cookie' });
    expect(await run({ method: 'POST', headers: { authorization: 'Bearer good-jwt' } })).toMatchObject({
      via: 'bearer',
    });
    const exempt = setup({ kind: 'public' }, { csrfExempt: true });
    expect(await exempt.run({ method: 'POST', cookies: { access_token: 'good-jwt' } })).toMatchObject({
      via: 'cookie',
    });
  });

  it('checks the Origin of CSRF-exempt routes against CORS_ORIGINS and the API’s own host', async () => {
    const { run } = setup({ kind: 'public' }, { csrfExempt: true });
    expect(await run({ method: 'POST', headers: { host: 'api.test', origin: 'https://evil.test' } })).toBe(
      'CSRF_FAILED',
    );
    expect(await run({ method: 'POST', headers: { host: 'api.test', origin: 'https://spa.test' } })).toBe('anonymous');
    expect(await run({ method: 'POST', headers: { host: 'api.test', origin: 'https://api.test' } })).toBe('anonymous');
    expect(await run({ method: 'POST', headers: { host: 'api.test', origin: 'null' } })).toBe('CSRF_FAILED');
  });

  it('applies roles to users and scopes to API keys', async () => {
    const staffOnly = setup({ kind: 'roles', roles: ['staff'], scopes: [] });
    expect(await staffOnly.run({ headers: { authorization: 'Bearer good-jwt' } })).toBe('FORBIDDEN');
    expect(await staffOnly.run({ headers: { authorization: 'Bearer ck_live_good' } })).toBe('FORBIDDEN');
    const ordersKey = setup({ kind: 'roles', roles: ['owner'], scopes: ['orders:write'] });
    expect(await ordersKey.run({ headers: { authorization: 'Bearer ck_live_good' } })).toBe('FORBIDDEN');
    const authenticated = setup({ kind: 'authenticated' });
    expect(await authenticated.run({ headers: { authorization: 'Bearer ck_live_good' } })).toBe('FORBIDDEN');
    expect(await authenticated.run({ headers: { authorization: 'Bearer good-jwt' } })).toMatchObject({ userId: 'u1' });
  });

  it('refuses a suspended restaurant with TENANT_SUSPENDED', async () => {
    const { run } = setup(managers, { tenantStatus: 'suspended' });
    expect(await run({ headers: { authorization: 'Bearer good-jwt' } })).toBe('TENANT_SUSPENDED');
    expect(await run({ headers: { authorization: 'Bearer ck_live_good' } })).toBe('TENANT_SUSPENDED');
  });

  it('refuses tenant writes while the subscription is inactive, by JWT and API key alike; reads still pass', async () => {
    const inactive: (SubscriptionStanding | null)[] = [
      { status: 'canceled', pastDueSince: null },
      { status: 'past_due', pastDueSince: daysAgo(8) },
      null,
    ];
    for (const subscription of inactive) {
      const { run } = setup(managers, { subscription });
      const write = { method: 'POST', headers: { authorization: 'Bearer good-jwt' } };
      expect(await run(write)).toBe('SUBSCRIPTION_INACTIVE');
      expect(await run({ ...write, headers: { authorization: 'Bearer ck_live_good' } })).toBe('SUBSCRIPTION_INACTIVE');
      expect(await run({ headers: { authorization: 'Bearer good-jwt' } })).toMatchObject({ userId: 'u1' });
      const planChange = setup(managers, { subscription, writableWhenInactive: true });
      expect(await planChange.run(write)).toMatchObject({ userId: 'u1' });
    }
  });

  it('lets writes through while trialing, active, or past due within 7 days', async () => {
    const standing: SubscriptionStanding[] = [
      { status: 'trialing', pastDueSince: null },
      { status: 'active', pastDueSince: null },
      { status: 'past_due', pastDueSince: daysAgo(7) },
    ];
    for (const subscription of standing) {
      const { run } = setup(managers, { subscription });
      expect(await run({ method: 'DELETE', headers: { authorization: 'Bearer good-jwt' } })).toMatchObject({
        userId: 'u1',
      });
    }
  });

  it('never applies the subscription rule to routes for any signed-in user (logout, password)', async () => {
    const { run } = setup({ kind: 'authenticated' }, { subscription: { status: 'canceled', pastDueSince: null } });
    expect(await run({ method: 'POST', headers: { authorization: 'Bearer good-jwt' } })).toMatchObject({
      userId: 'u1',
    });
  });

  it('refuses a JWT whose session is revoked or whose user is deactivated, by cookie and bearer alike', async () => {
    for (const live of [null, { isActive: false }]) {
      const { run } = setup(managers, { live });
      expect(await run({ headers: { authorization: 'Bearer good-jwt' } })).toBe('UNAUTHENTICATED');
      expect(await run({ cookies: { access_token: 'good-jwt' } })).toBe('UNAUTHENTICATED');
    }
  });

  it('applies the role and restaurant status read now, not the ones in the token', async () => {
    const demoted = setup(managers, { live: { role: 'staff' } });
    expect(await demoted.run({ headers: { authorization: 'Bearer good-jwt' } })).toBe('FORBIDDEN');
    const suspended = setup(managers, { live: { restaurantStatus: 'suspended' } });
    expect(await suspended.run({ headers: { authorization: 'Bearer good-jwt' } })).toBe('TENANT_SUSPENDED');
  });

  it('counts 401s and CSRF failures per IP: past the budget 429, then refuses that IP before any lookup', async () => {
    const { run, accessTokens } = setup(managers, { maxFailures: 2 });
    expect(await run({ ip: 'a', headers: { authorization: 'Bearer bad-jwt' } })).toBe('UNAUTHENTICATED');
    expect(await run({ ip: 'a', method: 'POST', cookies: { access_token: 'good-jwt' } })).toBe('CSRF_FAILED');
    expect(await run({ ip: 'a', headers: { authorization: 'Bearer bad-jwt' } })).toBe('RATE_LIMITED');
    const lookups = accessTokens.verify.mock.calls.length;
    expect(await run({ ip: 'a', headers: { authorization: 'Bearer good-jwt' } })).toBe('RATE_LIMITED');
    expect(accessTokens.verify.mock.calls.length).toBe(lookups);
    expect(await run({ ip: 'b', headers: { authorization: 'Bearer good-jwt' } })).toMatchObject({ userId: 'u1' });
  });
});
