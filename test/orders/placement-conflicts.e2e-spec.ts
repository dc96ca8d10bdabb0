import request from 'supertest';
import { DataSource, type QueryRunner } from 'typeorm';
import { idempotencyKey, place, seedShop, takeaway, type Shop } from '../factories/shop.factory';
import { describeFull } from '../support/env';
import { eventually } from '../support/processes';
import { startTestApi, type TestApi } from '../support/test-app';

/**
 * A deadlock forced on MariaDB: another transaction holds the restaurant's
 * number counter while the placement waits for it, then asks for the
 * restaurant's subscription row, which the placement's plan gate holds. InnoDB rolls back the lighter transaction
 * (the placement); the use case must retry it, not answer 500.
 */
describeFull('order placement under lock conflicts (MariaDB)', () => {
  jest.setTimeout(90_000);

  let api: TestApi;
  let dataSource: DataSource;

  beforeAll(async () => {
    api = await startTestApi();
    dataSource = api.app.get(DataSource);
  });

  afterAll(async () => {
    await api.close();
  });

  async function metric(name: string): Promise<number> {
    const text = (await request(api.server).get('/metrics').expect(200)).text;
    return [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\d+)$`, 'gm'))].reduce(
      (sum, match) => sum + Number(match[1]),
      0,
    );
  }

  /** Holds today's counter row and makes itself heavier than a placement, so InnoDB picks the placement. */
  async function holdCounter(s: Shop): Promise<QueryRunner> {
    const other = dataSource.createQueryRunner();
    await other.connect();
    await other.startTransaction();
    const restaurantId = s.cafe.restaurant.id;
    for (let day = 1; day <= 20; day++) {
      await other.query('INSERT INTO order_counters (restaurant_id, business_date, last_number) VALUES (?, ?, 0)', [
        restaurantId,
        `1999-01-${String(day).padStart(2, '0')}`,
      ]);
    }
    await other.query('SELECT last_number FROM order_counters WHERE restaurant_id = ? FOR UPDATE', [restaurantId]);
    return other;
  }

  /** Placements blocked on this restaurant's counter (the process list shows a user its own sessions). */
  async function waitingPlacements(restaurantId: string): Promise<number> {
    const rows: { n: number | string }[] = await dataSource.query(
      "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE COMMAND = 'Query' AND INFO LIKE ?",
      [`UPDATE%order_counters%${restaurantId}%`],
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** Both placements must fall on one business day, or the second one waits on no row. */
  async function awayFromMidnight(timeZone: string): Promise<void> {
    const clock = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    if (clock.format(new Date()) === '23:59') await new Promise((resolve) => setTimeout(resolve, 61_000));
  }

  it('retries a placement chosen as deadlock victim: one order, the next number, 201', async () => {
    const s = await seedShop(api.app, api.server);
    await awayFromMidnight(s.cafe.restaurant.timezone);
    await place(s.staff, takeaway(s)).expect(201);
    const createdBefore = await metric('orders_created_total');
    const retriesBefore = await metric('order_placement_retries_total');

    const other = await holdCounter(s);
    const key = idempotencyKey();
    const placing = place(s.staff, takeaway(s), key).then((res) => res);
    try {
      await eventually(async () => ((await waitingPlacements(s.cafe.restaurant.id)) === 1 ? true : undefined));
      // Closes the cycle: the placement holds the subscription row (the plan gate) and waits for the counter.
      await other
        .query('SELECT plan_code FROM subscriptions WHERE restaurant_id = ? FOR UPDATE', [s.cafe.restaurant.id])
        .catch((error: unknown) => error);
    } finally {
      await other.rollbackTransaction();
      await other.release();
    }

    const res = await placing;
    expect(res.status).toBe(201);
    expect(res.body.number).toBe(2);
    const list = await s.owner.get('/api/v1/orders').expect(200);
    expect(list.body.meta.total).toBe(2);
    expect(list.body.items.map((o: { number: number }) => o.number)).toEqual([2, 1]);
    expect(await metric('order_placement_retries_total')).toBeGreaterThan(retriesBefore);
    expect(await metric('orders_created_total')).toBe(createdBefore + 1);
  });
});
