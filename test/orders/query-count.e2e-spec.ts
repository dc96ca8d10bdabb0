import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { RelayOutboxUseCase } from '@coffee/webhooks';
import { seedRestaurant, TEST_PASSWORD } from '../factories/restaurant.factory';
import { BrowserSession } from '../support/session';
import { startTestApi, type TestApi } from '../support/test-app';

/** No N+1: the number of SQL statements a read runs must not grow with the number of orders or lines. */
describe('orders: SQL statements per request', () => {
  let api: TestApi;
  let owner: BrowserSession;
  let orderIds: string[];
  let menuItemIds: string[];

  beforeAll(async () => {
    // Only the request's own statements are counted: the webhook relay, a background job nudged after
    // every commit that wrote an event, would otherwise run its queries inside the counted window.
    const idleRelay = { execute: () => Promise.resolve({ events: 0, deliveries: 0, requeued: 0, purged: 0 }) };
    api = await startTestApi({}, { overrides: [{ provide: RelayOutboxUseCase, useValue: idleRelay }] });
    const cafe = await seedRestaurant(api.app);
    owner = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
    const categoryId = (await owner.post('/api/v1/menu/categories', { name: 'All' }).expect(201)).body.id as string;
    const itemIds: string[] = [];
    for (let i = 0; i < 3; i++)
      itemIds.push(
        (await owner.post('/api/v1/menu/items', { categoryId, name: `Item ${i}`, price: 100 }).expect(201)).body
          .id as string,
      );
    menuItemIds = itemIds;
    orderIds = [];
    for (let i = 0; i < 12; i++) {
      const lines = itemIds.slice(0, (i % 3) + 1).map((menuItemId) => ({ menuItemId, quantity: 1 }));
      const res = await owner
        .write('post', '/api/v1/orders')
        .set('Idempotency-Key', `qc-${randomBytes(6).toString('hex')}`)
        .send({ type: 'takeaway', items: lines })
        .expect(201);
      orderIds.push(res.body.id as string);
    }
  });

  afterAll(async () => {
    await api.close();
  });

  async function counted(request: () => Promise<unknown>): Promise<number> {
    const logger = api.app.get(DataSource).logger;
    const original = logger.logQuery.bind(logger);
    let count = 0;
    logger.logQuery = (query, parameters, runner) => {
      count += 1;
      original(query, parameters, runner);
    };
    try {
      await request();
    } finally {
      logger.logQuery = original;
    }
    return count;
  }

  const statements = (path: string): Promise<number> => counted(() => owner.get(path).expect(200));

  const placing = (lines: { menuItemId: string; quantity: number }[]): Promise<number> =>
    counted(() =>
      owner
        .write('post', '/api/v1/orders')
        .set('Idempotency-Key', `qc-${randomBytes(6).toString('hex')}`)
        .send({ type: 'takeaway', items: lines })
        .expect(201),
    );

  it('GET /orders runs as many statements for 2 orders as for 12', async () => {
    const small = await statements('/api/v1/orders?limit=2');
    const large = await statements('/api/v1/orders?limit=12');
    expect(large).toBe(small);
    const cursorPage = await statements('/api/v1/orders?limit=2');
    expect(cursorPage).toBe(small);
  });

  it('GET /orders/:id and the kitchen view run a fixed number of statements', async () => {
    const one = await statements(`/api/v1/orders/${orderIds[0]}`);
    const three = await statements(`/api/v1/orders/${orderIds[2]}`);
    expect(three).toBe(one);
    expect(one).toBeLessThanOrEqual(3);
    const kitchen = await statements('/api/v1/orders/kitchen');
    expect(kitchen).toBeLessThanOrEqual(3);
  });

  // The hottest write: items, their modifier groups and options are read in one statement, all lines
  // are inserted in one, whatever their number.
  it('POST /orders runs as many statements for 3 lines of 3 items as for 1 line', async () => {
    const one = await placing([{ menuItemId: menuItemIds[0], quantity: 1 }]);
    const three = await placing(menuItemIds.map((menuItemId) => ({ menuItemId, quantity: 2 })));
    expect(three).toBe(one);
  });
});
