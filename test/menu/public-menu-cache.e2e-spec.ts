import request from 'supertest';
import { seedRestaurant, TEST_PASSWORD } from '../factories/restaurant.factory';
import { describeFull } from '../support/env';
import { eventually } from '../support/processes';
import { BrowserSession } from '../support/session';
import { TcpProxy } from '../support/tcp-proxy';
import { startTestApi, type TestApi } from '../support/test-app';

/** The menu as `api` serves it once `check` holds (a change reaches every instance within about a second). */
const menuOnceItHolds = (api: TestApi, path: string, check: (menu: PublicMenu) => boolean) =>
  eventually(async () => {
    const res = await request(api.server).get(path).expect(200);
    return check(res.body as PublicMenu) ? res : undefined;
  });

interface PublicMenu {
  categories: { items: { name: string; price: number }[] }[];
}

describeFull('public menu cache across instances (MariaDB + shared Redis)', () => {
  let a: TestApi;
  let b: TestApi;

  beforeAll(async () => {
    a = await startTestApi();
    b = await startTestApi();
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('a write on one instance is visible on the other within one second', async () => {
    const cafe = await seedRestaurant(a.app);
    const owner = await BrowserSession.login(a.server, cafe.owner.email, TEST_PASSWORD);
    const path = `/api/v1/public/restaurants/${cafe.restaurant.slug}/menu`;
    const categoryId = (await owner.post('/api/v1/menu/categories', { name: 'Coffee' }).expect(201)).body.id as string;
    const latte = (await owner.post('/api/v1/menu/items', { categoryId, name: 'Latte', price: 450 }).expect(201)).body;

    // Both instances have the menu cached.
    for (const api of [a, b]) {
      const res = await request(api.server).get(path).expect(200);
      expect(res.body.categories[0].items.map((i: { name: string }) => i.name)).toEqual(['Latte']);
    }

    await owner.patch(`/api/v1/menu/items/${latte.id}`, { price: 480, version: latte.version }).expect(200);
    await menuOnceItHolds(b, path, (menu) => menu.categories[0]?.items[0]?.price === 480);

    await owner.patch(`/api/v1/menu/items/${latte.id}/availability`, { isAvailable: false }).expect(200);
    await menuOnceItHolds(b, path, (menu) => menu.categories[0]?.items.length === 0);
    await menuOnceItHolds(a, path, (menu) => menu.categories[0]?.items.length === 0);
    const etagA = (await request(a.server).get(path)).headers.etag;
    const etagB = (await request(b.server).get(path)).headers.etag;
    expect(etagA).toBe(etagB);
  });
});

describeFull('public menu while Redis is down', () => {
  let api: TestApi;
  let redis: TcpProxy;

  beforeAll(async () => {
    const target = new URL(process.env.REDIS_URL ?? '');
    redis = new TcpProxy(target.hostname, Number(target.port));
    await redis.start();
    api = await startTestApi({ REDIS_URL: `redis://127.0.0.1:${redis.port}` });
  });

  afterAll(async () => {
    await api?.close();
    await redis?.cut();
  });

  it('still answers 200 from the database, including writes made during the outage', async () => {
    const cafe = await seedRestaurant(api.app);
    const owner = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
    const path = `/api/v1/public/restaurants/${cafe.restaurant.slug}/menu`;
    const categoryId = (await owner.post('/api/v1/menu/categories', { name: 'Tea' }).expect(201)).body.id as string;
    await request(api.server).get(path).expect(200);

    await redis.cut();
    try {
      await owner.post('/api/v1/menu/items', { categoryId, name: 'Chai', price: 380 }).expect(201);
      await menuOnceItHolds(api, path, (menu) => menu.categories[0]?.items.map((i) => i.name).join() === 'Chai');
    } finally {
      await redis.restore();
    }
    // The bump that failed during the outage lands once Redis is back, so other instances see the change too.
    const other = await startTestApi();
    try {
      await menuOnceItHolds(other, path, (menu) => menu.categories[0]?.items.map((i) => i.name).join() === 'Chai');
      await menuOnceItHolds(api, path, (menu) => menu.categories[0]?.items.map((i) => i.name).join() === 'Chai');
      // Both serve the rendering of the bumped version.
      await eventually(async () => {
        const etag = (await request(api.server).get(path)).headers.etag;
        return (await request(other.server).get(path)).headers.etag === etag ? true : undefined;
      });
    } finally {
      await other.close();
    }
  });
});
