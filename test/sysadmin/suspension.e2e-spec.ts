import request from 'supertest';
import { seedRestaurant, TEST_PASSWORD, type SeededRestaurant } from '../factories/restaurant.factory';
import { FULL_MODE, SYSADMIN } from '../support/env';
import { eventually } from '../support/processes';
import { bearer, BrowserSession } from '../support/session';
import { startTestApi, type TestApi } from '../support/test-app';

/** The contract's "within one second": ten polls, 100 ms apart. */
const withinOneSecond = (check: () => Promise<boolean>) =>
  eventually(async () => ((await check()) ? true : undefined), 10, 100);

const login = (api: TestApi, email: string) =>
  request(api.server).post('/api/v1/auth/login').send({ email, password: TEST_PASSWORD });

/**
 * Suspending a restaurant from the console takes effect at once: its users'
 * next request (cookie or bearer), its API keys, sign-in and refresh are
 * refused with 403 TENANT_SUSPENDED, and its public menu is a 404 on every
 * instance within a second. Reactivating restores all of it. In full mode a
 * second API instance on the same MariaDB and Redis serves the public menu
 * too, so the cache invalidation is seen across instances.
 */
describe('sysadmin console: suspending and reactivating a restaurant', () => {
  let a: TestApi;
  let b: TestApi | undefined;
  let sysadmin: BrowserSession;

  beforeAll(async () => {
    a = await startTestApi();
    if (FULL_MODE) b = await startTestApi();
    sysadmin = await BrowserSession.login(a.server, SYSADMIN.email, SYSADMIN.password);
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  const setStatus = (cafe: SeededRestaurant, status: 'active' | 'suspended') =>
    sysadmin.patch(`/api/v1/sysadmin/restaurants/${cafe.restaurant.id}`, { status }).expect(200);

  it('refuses users by cookie and bearer, API keys, sign-in, refresh and the public menu; reactivation restores all', async () => {
    const cafe = await seedRestaurant(a.app);
    const instances = b ? [a, b] : [a];
    const owner = await BrowserSession.login(a.server, cafe.owner.email, TEST_PASSWORD);
    // A second signed-in session, to try a refresh while suspended.
    const refresher = await BrowserSession.login(a.server, cafe.owner.email, TEST_PASSWORD);
    const categoryId = (await owner.post('/api/v1/menu/categories', { name: 'Coffee' }).expect(201)).body.id;
    await owner.post('/api/v1/menu/items', { categoryId, name: 'Latte', price: 450 }).expect(201);
    const key = (await owner.post('/api/v1/api-keys', { name: 'pos', scopes: ['menu:read'] }).expect(201)).body
      .key as string;
    const menu = `/api/v1/public/restaurants/${cafe.restaurant.slug}/menu`;

    let round = 0;
    /** One request per kind of credential, each labelled: [what, status, code]. */
    const attempts = async () => {
      const labelled: [string, Promise<request.Response>][] = [
        ['cookie read', owner.get('/api/v1/users')],
        ['cookie write', owner.post('/api/v1/menu/categories', { name: `Tea ${++round}` })],
        ['bearer JWT', bearer(a.server, owner.accessToken).get('/api/v1/menu/categories')],
        [
          'bearer JWT, last instance',
          bearer(instances[instances.length - 1].server, owner.accessToken).get('/api/v1/auth/me'),
        ],
        ['API key', bearer(a.server, key).get('/api/v1/menu/categories')],
      ];
      return Promise.all(
        labelled.map(async ([what, res]) => {
          const answer = await res;
          return [what, answer.status, (answer.body as { code?: string }).code ?? null] as const;
        }),
      );
    };

    for (const [what, status] of await attempts()) expect([what, status < 300]).toEqual([what, true]);
    // Every instance has the menu cached before the suspension.
    for (const api of instances)
      expect((await request(api.server).get(menu).expect(200)).body.restaurant.slug).toBe(cafe.restaurant.slug);

    const suspended = await setStatus(cafe, 'suspended');
    expect(suspended.body).toMatchObject({ id: cafe.restaurant.id, status: 'suspended' });

    // The very next request of each credential is refused.
    for (const [what, status, code] of await attempts())
      expect([what, status, code]).toEqual([what, 403, 'TENANT_SUSPENDED']);
    const refusedLogin = await login(a, cafe.owner.email).expect(403);
    expect(refusedLogin.body.code).toBe('TENANT_SUSPENDED');
    expect(refusedLogin.headers['set-cookie']).toBeUndefined();
    const refusedRefresh = await refresher.refresh();
    expect([refusedRefresh.status, refusedRefresh.body.code]).toEqual([403, 'TENANT_SUSPENDED']);
    // A refused refresh signs that browser out (the cookies are cleared), as any failed refresh does.
    expect(refresher.accessToken).toBe('');
    // The public menu is gone on every instance within a second.
    for (const api of instances) {
      await withinOneSecond(async () => (await request(api.server).get(menu)).status === 404);
      expect((await request(api.server).get(menu)).body.code).toBe('NOT_FOUND');
    }
    // The console still reads it.
    await sysadmin.get(`/api/v1/sysadmin/restaurants/${cafe.restaurant.id}`).expect(200);

    const reactivated = await setStatus(cafe, 'active');
    expect(reactivated.body.status).toBe('active');

    // The same credentials work again on their next request; sign-in and refresh too.
    for (const [what, status] of await attempts()) expect([what, status < 300]).toEqual([what, true]);
    const again = await BrowserSession.login(a.server, cafe.owner.email, TEST_PASSWORD);
    expect((await again.refresh()).status).toBe(200);
    await again.get('/api/v1/auth/me').expect(200);
    for (const api of instances) {
      await withinOneSecond(async () => (await request(api.server).get(menu)).status === 200);
      expect((await request(api.server).get(menu)).body.categories[0].items[0].name).toBe('Latte');
    }
  });

  it('leaves other restaurants alone', async () => {
    const [target, neighbour] = [await seedRestaurant(a.app), await seedRestaurant(a.app)];
    const other = await BrowserSession.login(a.server, neighbour.owner.email, TEST_PASSWORD);
    await setStatus(target, 'suspended');
    await other.get('/api/v1/users').expect(200);
    await login(a, neighbour.owner.email).expect(200);
    await request(a.server).get(`/api/v1/public/restaurants/${neighbour.restaurant.slug}/menu`).expect(200);
  });
});
