import { RequestMethod } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ACCESS_METADATA } from '@coffee/common';
import { startTestApi, type TestApi } from '../support/test-app';

/** Every route must say who may call it; a forgotten declaration fails here rather than in production. */
describe('every route declares its access rule', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });

  afterAll(async () => {
    await api.close();
  });

  it('finds @Public, @Authenticated, @Roles or @Access on every handler', () => {
    const discovery = api.app.get(DiscoveryService);
    const scanner = api.app.get(MetadataScanner);
    const reflector = api.app.get(Reflector);
    const routes: string[] = [];
    const undeclared: string[] = [];
    for (const wrapper of discovery.getControllers()) {
      const { instance, metatype } = wrapper;
      if (!instance || !metatype) continue;
      const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name] as (...args: unknown[]) => unknown;
        const method = reflector.get<RequestMethod | undefined>(METHOD_METADATA, handler);
        if (method === undefined) continue;
        const route = `${RequestMethod[method]} ${String(reflector.get(PATH_METADATA, metatype))}/${String(reflector.get(PATH_METADATA, handler))}`;
        routes.push(route);
        if (!reflector.getAllAndOverride(ACCESS_METADATA, [handler, metatype])) undeclared.push(route);
      }
    }
    expect(routes.length).toBeGreaterThan(15);
    expect(undeclared).toEqual([]);
  });
});
