import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import request from 'supertest';
import { TEST_PASSWORD, uniqueEmail } from '../factories/restaurant.factory';
import { place, seedShop, takeaway, type Shop } from '../factories/shop.factory';
import { describeReplica } from '../support/env';
import { eventually } from '../support/processes';
import { BrowserSession } from '../support/session';
import { TcpProxy } from '../support/tcp-proxy';
import { startTestApi, type TestApi } from '../support/test-app';

const run = promisify(execFile);

/**
 * SQL on the replica as its root, over its socket: what replication itself
 * cannot do (STOP/START SLAVE) and marks written on the replica alone, so a
 * response showing the mark was read there. Values are ids the API made.
 */
async function onReplica(sql: string): Promise<string> {
  const database = new URL(process.env.DATABASE_URL ?? '').pathname.slice(1);
  const socket = process.env.MARIADB_REPLICA_SOCKET ?? '';
  const { stdout } = await run('mariadb', [
    '--protocol=socket',
    '-S',
    socket,
    '-uroot',
    '-N',
    '-B',
    '-D',
    database,
    '-e',
    sql,
  ]);
  return stdout.trim();
}

/** Waits until replication has brought the order (in its current status) to the replica. */
async function replicated(orderId: string, status = 'pending'): Promise<void> {
  await eventually(async () =>
    (await onReplica(`SELECT status FROM orders WHERE id = '${orderId}'`)) === status ? true : undefined,
  );
}

const DASHBOARD = '/api/v1/reports/dashboard';
const menuPath = (shop: Shop) => `/api/v1/public/restaurants/${shop.cafe.restaurant.slug}/menu`;

interface PublicMenu {
  categories: { name: string; items: { id: string; name: string }[] }[];
}

/** Walks a takeaway order to paid. */
async function pay(session: BrowserSession, orderId: string): Promise<void> {
  for (const status of ['preparing', 'ready'])
    await session.post(`/api/v1/orders/${orderId}/status`, { status }).expect(200);
  await session.post(`/api/v1/orders/${orderId}/status`, { status: 'paid', paymentMethod: 'cash' }).expect(200);
}

describeReplica('read replicas (DB_READ_HOSTS, a real MariaDB replica behind a cuttable proxy)', () => {
  let api: TestApi;
  let replica: TcpProxy;

  beforeAll(async () => {
    const [host = '', port = ''] = (process.env.DB_READ_HOSTS ?? '').split(',')[0].split(':');
    replica = new TcpProxy(host, Number(port));
    await replica.start();
    // A generous wait: on a busy machine the replica may take a moment to apply a write.
    api = await startTestApi({ DB_READ_HOSTS: `127.0.0.1:${replica.port}`, DB_READ_WAIT_MS: '2000' });
  });

  afterAll(async () => {
    await api?.close();
    await replica?.cut();
  });

  it('serves the order list, the dashboard and the public menu from the replica; the order itself from the primary', async () => {
    const shop = await seedShop(api.app, api.server);
    const placed = await place(shop.staff, takeaway(shop)).expect(201);
    const orderId = placed.body.id as string;
    await pay(shop.staff, orderId);
    await replicated(orderId, 'paid');
    const categoryId = (await shop.owner.get('/api/v1/menu/categories').expect(200)).body.items[0].id as string;

    // Marks on the replica alone: whatever shows them was read there.
    await onReplica(`UPDATE orders SET customer_name = 'Replica Ana' WHERE id = '${orderId}'`);
    await onReplica(`UPDATE menu_categories SET name = 'Replica category' WHERE id = '${categoryId}'`);
    try {
      const list = await shop.staff.get('/api/v1/orders').expect(200);
      expect(list.body.items.map((o: { customerName: string }) => o.customerName)).toEqual(['Replica Ana']);
      const dashboard = await shop.owner.get(DASHBOARD).set('Cache-Control', 'no-cache').expect(200);
      expect(dashboard.body.orders).toBe(1);
      expect(dashboard.body.byCategory.map((c: { name: string }) => c.name)).toEqual(['Replica category']);
      const menu = (await request(api.server).get(menuPath(shop)).expect(200)).body as PublicMenu;
      expect(menu.categories.map((c) => c.name)).toEqual(['Replica category']);

      // The order's own page, its history and the kitchen view read the primary.
      expect((await shop.staff.get(`/api/v1/orders/${orderId}`).expect(200)).body.customerName).toBe('Ana');
      // So do the menu routes of the back office.
      const categories = await shop.owner.get('/api/v1/menu/categories').expect(200);
      expect(categories.body.items.map((c: { name: string }) => c.name)).toEqual(['All']);
    } finally {
      await onReplica(`UPDATE orders SET customer_name = 'Ana' WHERE id = '${orderId}'`);
      await onReplica(`UPDATE menu_categories SET name = 'All' WHERE id = '${categoryId}'`);
    }
  });

  it('reads the primary while the replica lags (replication stopped): every answer shows the writes made before it', async () => {
    const shop = await seedShop(api.app, api.server);
    const first = (await place(shop.staff, takeaway(shop)).expect(201)).body.id as string;
    await replicated(first);
    // Cached copies from the replica, before it falls behind.
    const before = (await request(api.server).get(menuPath(shop)).expect(200)).body as PublicMenu;
    expect(before.categories[0].items.map((i) => i.name)).toEqual(['Cookie', 'Latte']);
    expect((await shop.owner.get(DASHBOARD).expect(200)).body.orders).toBe(0);

    await onReplica('STOP SLAVE');
    try {
      // Written on the primary only.
      const placed = await place(shop.staff, takeaway(shop, { customerName: 'Bo' })).expect(201);
      const second = placed.body.id as string;
      expect(placed.body.customerName).toBe('Bo');
      expect(await onReplica(`SELECT COUNT(*) FROM orders WHERE id = '${second}'`)).toBe('0');

      // The list still shows it: the replica has not reached the primary's position, so the list reads the primary.
      const list = await shop.staff.get('/api/v1/orders').expect(200);
      expect(list.body.items.map((o: { id: string }) => o.id)).toEqual([second, first]);
      expect(list.body.meta.total).toBe(2);
      await shop.staff.get(`/api/v1/orders/${second}`).expect(200);

      // A payment bumps the sales version: the dashboard cached under the new version counts it.
      await pay(shop.staff, second);
      expect((await shop.owner.get(DASHBOARD).expect(200)).body.orders).toBe(1);

      // A menu write bumps the menu version: the menu cached under it has the write (within the
      // one-second window of the cache), never the replica's older copy.
      const cookie = (await shop.owner.get(`/api/v1/menu/items/${shop.cookie.id}`).expect(200)).body as {
        version: number;
      };
      await shop.owner
        .patch(`/api/v1/menu/items/${shop.cookie.id}`, { name: 'Oat cookie', version: cookie.version })
        .expect(200);
      await eventually(async () => {
        const menu = (await request(api.server).get(menuPath(shop)).expect(200)).body as PublicMenu;
        return menu.categories[0].items.some((i) => i.name === 'Oat cookie') ? menu : undefined;
      });
      expect(await onReplica(`SELECT name FROM menu_items WHERE id = '${shop.cookie.id}'`)).toBe('Cookie');

      // Sign-in and the session check of a user the replica has never seen work: they read the primary.
      const email = uniqueEmail('late');
      await shop.owner
        .post('/api/v1/users', { email, name: 'Lee', role: 'staff', password: TEST_PASSWORD })
        .expect(201);
      const late = await BrowserSession.login(api.server, email, TEST_PASSWORD);
      expect((await late.get('/api/v1/auth/me').expect(200)).body.email).toBe(email);
    } finally {
      await onReplica('START SLAVE');
    }

    // Caught up again, reads go back to the replica.
    await replicated(first);
    await onReplica(`UPDATE orders SET customer_name = 'Replica Ana' WHERE id = '${first}'`);
    try {
      await eventually(async () => {
        const list = await shop.staff.get('/api/v1/orders').expect(200);
        return list.body.items.some((o: { customerName: string }) => o.customerName === 'Replica Ana')
          ? true
          : undefined;
      });
    } finally {
      await onReplica(`UPDATE orders SET customer_name = 'Ana' WHERE id = '${first}'`);
    }
  });

  it('a replica that is down breaks no read: they answer from the primary, then from the replica once it is back', async () => {
    const shop = await seedShop(api.app, api.server);
    const orderId = (await place(shop.staff, takeaway(shop)).expect(201)).body.id as string;
    await replicated(orderId);
    await onReplica(`UPDATE orders SET customer_name = 'Replica Ana' WHERE id = '${orderId}'`);
    try {
      const fromReplica = await shop.staff.get('/api/v1/orders').expect(200);
      expect(fromReplica.body.items[0].customerName).toBe('Replica Ana');

      await replica.cut();
      try {
        // Open replica connections are dropped and new ones refused: the reads go to the primary.
        const list = await shop.staff.get('/api/v1/orders').expect(200);
        expect(list.body.items.map((o: { customerName: string }) => o.customerName)).toEqual(['Ana']);
        await shop.owner.get(DASHBOARD).set('Cache-Control', 'no-cache').expect(200);
        const menu = (await request(api.server).get(menuPath(shop)).expect(200)).body as PublicMenu;
        expect(menu.categories[0].items.map((i) => i.name)).toEqual(['Cookie', 'Latte']);
        // Readiness is about the primary (and Redis): a replica outage does not take instances out.
        await request(api.server).get('/health/ready').expect(200);
        // Writes are untouched.
        await place(shop.staff, takeaway(shop)).expect(201);
      } finally {
        await replica.restore();
      }

      // A background check finds the replica again; reads return to it.
      await eventually(async () => {
        const list = await shop.staff.get('/api/v1/orders').expect(200);
        return list.body.items.some((o: { customerName: string }) => o.customerName === 'Replica Ana')
          ? true
          : undefined;
      });
    } finally {
      await onReplica(`UPDATE orders SET customer_name = 'Ana' WHERE id = '${orderId}'`);
    }
  });
});
