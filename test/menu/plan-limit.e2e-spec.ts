import type { TenantScope } from '@coffee/database';
import { PlanLimits, type LimitedResource } from '@coffee/tenancy';
import { seedRestaurant, TEST_PASSWORD } from '../factories/restaurant.factory';
import { BrowserSession } from '../support/session';
import { startTestApi, type TestApi } from '../support/test-app';

/** A plan allowing 3 menu items, standing in for the subscriptions library. */
class ThreeItemsPlan extends PlanLimits {
  limitFor(_scope: TenantScope, resource: LimitedResource): Promise<number | null> {
    return Promise.resolve(resource === 'menuItems' ? 3 : null);
  }
}

describe('menu items: the plan limit hook', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi({}, { overrides: [{ provide: PlanLimits, useValue: new ThreeItemsPlan() }] });
  });

  afterAll(async () => {
    await api.close();
  });

  it('refuses the item over the limit with 403 PLAN_LIMIT_REACHED, also under 10 concurrent creates', async () => {
    const cafe = await seedRestaurant(api.app);
    const owner = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
    const categoryId = (await owner.post('/api/v1/menu/categories', { name: 'All' }).expect(201)).body.id as string;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        owner.post('/api/v1/menu/items', { categoryId, name: `Item ${i}`, price: 100 }),
      ),
    );
    expect(results.filter((res) => res.status === 201)).toHaveLength(3);
    const refused = results.filter((res) => res.status !== 201);
    expect(refused).toHaveLength(7);
    for (const res of refused) {
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('PLAN_LIMIT_REACHED');
    }
    expect((await owner.get('/api/v1/menu/items')).body.meta.total).toBe(3);

    // Deleting one frees a slot.
    const first = (await owner.get('/api/v1/menu/items')).body.items[0] as { id: string };
    await owner.delete(`/api/v1/menu/items/${first.id}`).expect(204);
    await owner.post('/api/v1/menu/items', { categoryId, name: 'Replacement', price: 100 }).expect(201);
  });
});
