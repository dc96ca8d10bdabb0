import { RequestMethod } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { ACCESS_METADATA, type AccessRule } from '@coffee/common';
import { API_PREFIX } from '../../apps/api/src/http-server';
import { seedRestaurant, TEST_PASSWORD } from '../factories/restaurant.factory';
import { SYSADMIN } from '../support/env';
import { bearer, BrowserSession } from '../support/session';
import { startTestApi, type TestApi } from '../support/test-app';

interface Route {
  method: string;
  /** The path template as registered, e.g. `/api/v1/users/:id`. */
  path: string;
  rule: AccessRule | undefined;
}

const UNPREFIXED = new Set(['health', 'metrics']);

function joinPath(...parts: unknown[]): string {
  const path = parts
    .flat()
    .filter((part): part is string => typeof part === 'string')
    .map((part) => part.replace(/^\/+|\/+$/g, ''))
    .filter((part) => part !== '')
    .join('/');
  return `/${path}`;
}

/** Every Nest route of the running app, from the controllers' metadata (not a hand-kept list). */
function routesOf(api: TestApi): Route[] {
  const discovery = api.app.get(DiscoveryService);
  const scanner = api.app.get(MetadataScanner);
  const reflector = api.app.get(Reflector);
  const routes: Route[] = [];
  for (const wrapper of discovery.getControllers()) {
    const { instance, metatype } = wrapper;
    if (!instance || !metatype) continue;
    const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name] as (...args: unknown[]) => unknown;
      const method = reflector.get<RequestMethod | undefined>(METHOD_METADATA, handler);
      if (method === undefined) continue;
      const local = joinPath(reflector.get(PATH_METADATA, metatype), reflector.get(PATH_METADATA, handler));
      const prefixed = UNPREFIXED.has(local.split('/')[1] ?? '') ? local : joinPath(API_PREFIX, local);
      routes.push({
        method: RequestMethod[method],
        path: prefixed,
        rule: reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_METADATA, [handler, metatype]),
      });
    }
  }
  return routes;
}

const label = (route: Route): string => `${route.method} ${route.path}`;
const isSysadminRoute = (route: Route): boolean => route.path.startsWith(`/${API_PREFIX}/sysadmin/`);
/** A route for restaurants' users: open to tenant roles (and maybe API keys), closed to sysadmins. */
const isTenantRoute = (route: Route): boolean => route.rule?.kind === 'roles' && !route.rule.roles.includes('sysadmin');

type Caller = (method: string, path: string) => request.Test;

/** Sends the route with every path parameter a fresh UUID (the guard answers before anything reads it). */
async function statusOf(call: Caller, route: Route): Promise<{ status: number; code: unknown }> {
  const path = route.path.replace(/:[A-Za-z]+/g, () => randomUUID());
  const req = call(route.method, path);
  const res = await (['POST', 'PUT', 'PATCH'].includes(route.method) ? req.send({}) : req);
  return { status: res.status, code: (res.body as { code?: unknown }).code };
}

function viaBearer(api: TestApi, token: string): Caller {
  return (method, path) =>
    request(api.server)[method.toLowerCase() as 'get'](path).set('Authorization', `Bearer ${token}`);
}

function viaCookie(session: BrowserSession): Caller {
  return (method, path) => (method === 'GET' ? session.get(path) : session.write(method.toLowerCase() as 'post', path));
}

describe('route access', () => {
  let api: TestApi;
  let routes: Route[];

  beforeAll(async () => {
    api = await startTestApi();
    routes = routesOf(api);
  });

  afterAll(async () => {
    await api.close();
  });

  /** Every route must say who may call it; a forgotten declaration fails here rather than in production. */
  it('finds @Public, @Authenticated, @Roles or @Access on every handler', () => {
    expect(routes.length).toBeGreaterThan(15);
    expect(routes.filter((route) => !route.rule).map(label)).toEqual([]);
  });

  it('keeps /sysadmin/** for sysadmins only, and no other route open to them but the session routes', () => {
    const sysadminRoutes = routes.filter(isSysadminRoute);
    expect(sysadminRoutes.map(label)).toEqual(
      expect.arrayContaining([
        'POST /api/v1/sysadmin/restaurants',
        'GET /api/v1/sysadmin/restaurants',
        'GET /api/v1/sysadmin/restaurants/:id',
        'PATCH /api/v1/sysadmin/restaurants/:id',
        'POST /api/v1/sysadmin/restaurants/:id/plan',
        'GET /api/v1/sysadmin/stats',
        'GET /api/v1/sysadmin/audit-log',
      ]),
    );
    for (const route of sysadminRoutes)
      expect([label(route), route.rule]).toEqual([label(route), { kind: 'roles', roles: ['sysadmin'], scopes: [] }]);
    const otherSysadminRoutes = routes.filter(
      (route) => !isSysadminRoute(route) && route.rule?.kind === 'roles' && route.rule.roles.includes('sysadmin'),
    );
    expect(otherSysadminRoutes.map(label)).toEqual([]);
  });

  it('answers 403 FORBIDDEN to a restaurant owner (cookie or bearer) and an API key on every /sysadmin/** route', async () => {
    const cafe = await seedRestaurant(api.app);
    const owner = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
    const key = (
      await owner
        .post('/api/v1/api-keys', { name: 'all', scopes: ['menu:read', 'orders:read', 'orders:write', 'reports:read'] })
        .expect(201)
    ).body.key as string;
    const callers: [string, Caller][] = [
      ['owner (cookie)', viaCookie(owner)],
      ['owner (bearer)', viaBearer(api, owner.accessToken)],
      ['API key', viaBearer(api, key)],
    ];
    const answers: string[] = [];
    for (const route of routes.filter(isSysadminRoute)) {
      for (const [name, call] of callers) {
        const { status, code } = await statusOf(call, route);
        answers.push(`${label(route)} as ${name}: ${status} ${String(code)}`);
      }
    }
    expect(answers.length).toBeGreaterThanOrEqual(21);
    expect(answers.filter((answer) => !answer.endsWith(': 403 FORBIDDEN'))).toEqual([]);
    // Still signed in: the refusals were about the route, not the credentials.
    await owner.get('/api/v1/auth/me').expect(200);
  });

  it('answers 403 FORBIDDEN to a sysadmin (cookie or bearer) on every tenant route', async () => {
    const sysadmin = await BrowserSession.login(api.server, SYSADMIN.email, SYSADMIN.password);
    const callers: [string, Caller][] = [
      ['sysadmin (cookie)', viaCookie(sysadmin)],
      ['sysadmin (bearer)', viaBearer(api, sysadmin.accessToken)],
    ];
    const tenantRoutes = routes.filter(isTenantRoute);
    expect(tenantRoutes.length).toBeGreaterThan(20);
    const answers: string[] = [];
    for (const route of tenantRoutes) {
      for (const [name, call] of callers) {
        const { status, code } = await statusOf(call, route);
        answers.push(`${label(route)} as ${name}: ${status} ${String(code)}`);
      }
    }
    expect(answers.filter((answer) => !answer.endsWith(': 403 FORBIDDEN'))).toEqual([]);
    await bearer(api.server, sysadmin.accessToken).get('/api/v1/sysadmin/stats').expect(200);
  });
});
