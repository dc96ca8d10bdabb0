import type { EntityManager } from 'typeorm';
import { trustedTenantScope, withManager } from './tenant-scope';

describe('TenantScope', () => {
  it('carries the restaurant, and withManager adds the transaction without changing the restaurant', () => {
    const scope = trustedTenantScope('r-1');
    const manager = {} as EntityManager;
    expect(scope).toEqual({ restaurantId: 'r-1' });
    expect(withManager(scope, manager)).toEqual({ restaurantId: 'r-1', manager });
  });
});
