import type { Connection } from 'mysql2/promise';
import { connectToDatabase } from '../support/database';
import { eventually, type RunningProcess } from '../support/processes';
import {
  call,
  createShop,
  expectStatus,
  idempotencyKey,
  jobAttempts,
  PASSWORD,
  Session,
  startCluster,
  sysadminSession,
  takeaway,
  terminate,
  unique,
  type ClusterShop,
  type Reply,
} from './cluster';
import { expectVisibleWithinASecond, watchMenu } from './menu-watch';
import { expectedTotals, snapshotOrders, type OrderJson } from './orders-snapshot';

// Four Nest processes booting and working at once on a loaded 2-core machine.
jest.setTimeout(120_000);

/** Failed sign-ins allowed per IP and window, set low on all three instances for the rate-limit proof. */
const LOGIN_IP_MAX_FAILURES = 9;

const placeOrder = (shop: ClusterShop, target: RunningProcess, body: object, key: string): Promise<Reply> =>
  shop.staff.post(target, '/api/v1/orders', body, { 'idempotency-key': key });

describe('three API instances and one worker on one MariaDB and one Redis (full mode)', () => {
  const started: RunningProcess[] = [];
  let api1: RunningProcess;
  let api2: RunningProcess;
  let api3: RunningProcess;
  let apis: RunningProcess[];
  let worker: RunningProcess;
  let sysadmin: Session;
  let db: Connection | undefined;
  // Should jest itself be torn down early, no process outlives it.
  const killAll = (): void => {
    for (const proc of started) if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
  };

  beforeAll(async () => {
    process.once('exit', killAll);
    const cluster = await startCluster(started, {
      REDIS_KEY_PREFIX: unique('cluster'),
      TRUST_PROXY: 'loopback',
      LOGIN_IP_MAX_FAILURES: String(LOGIN_IP_MAX_FAILURES),
    });
    [api1, api2, api3] = cluster.apis;
    apis = cluster.apis;
    worker = cluster.worker;
    sysadmin = await sysadminSession(api1);
    db = await connectToDatabase();
    // Four boots, each allowed 60 s by startCluster, the worker's after the APIs'.
  }, 240_000);

  afterAll(async () => {
    await db?.end();
    await Promise.all(started.map(terminate));
    process.off('exit', killAll);
  });

  async function ordersOf(restaurantId: string): Promise<number> {
    const [rows] = await db!.query('SELECT COUNT(*) AS n FROM orders WHERE restaurant_id = ?', [restaurantId]);
    return Number((rows as { n: number }[])[0]?.n);
  }

  describe('rate limits are counted once for the cluster, not per instance', () => {
    it(`sign-in failures per IP: ${LOGIN_IP_MAX_FAILURES} in total across the three instances, then 429`, async () => {
      const over = 6;
      // Round robin: per-instance counting would let all 15 through (5 per instance, under 9 each).
      const replies = await Promise.all(
        Array.from({ length: LOGIN_IP_MAX_FAILURES + over }, (_, i) =>
          call(apis[i % 3], 'POST', '/api/v1/auth/login', {
            body: { email: `${unique('nobody')}@example.test`, password: 'not-the-password-1' },
            headers: { 'x-forwarded-for': '198.51.100.7' },
          }),
        ),
      );
      const refused = replies.filter((res) => res.status === 429);
      expect(replies.filter((res) => res.status === 401)).toHaveLength(LOGIN_IP_MAX_FAILURES);
      expect(refused).toHaveLength(over);
      for (const res of refused) {
        expect(res.body.code).toBe('RATE_LIMITED');
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      }
      // The count is the address's: another one still gets a verdict, on any instance.
      const other = await call(api2, 'POST', '/api/v1/auth/login', {
        body: { email: `${unique('nobody')}@example.test`, password: 'not-the-password-1' },
        headers: { 'x-forwarded-for': '198.51.100.8' },
      });
      expect(other.status).toBe(401);
    });

    it('the per-user limit of change-password (10 a minute): 10 answered across the three instances, then 429', async () => {
      const shop = await createShop(sysadmin, api1);
      // Refused by validation (422) after the throttler counted them: nothing changes but the count.
      const replies = await Promise.all(
        Array.from({ length: 13 }, (_, i) =>
          shop.staff.post(apis[i % 3], '/api/v1/auth/change-password', {
            currentPassword: PASSWORD,
            newPassword: 'short',
          }),
        ),
      );
      const refused = replies.filter((res) => res.status === 429);
      expect(replies.filter((res) => res.status === 422)).toHaveLength(10);
      expect(refused).toHaveLength(3);
      for (const res of refused) {
        expect(res.body.code).toBe('RATE_LIMITED');
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      }
    });
  });

  it('a menu write on instance 1 is served by instances 2 and 3 within 1 s of its answer', async () => {
    const shop = await createShop(sysadmin, api1);
    const path = `/api/v1/public/restaurants/${shop.slug}/menu`;
    const cookiePrice = (res: Reply): number | undefined =>
      (res.body as { categories: { items: { id: string; price: number }[] }[] }).categories
        .flatMap((category) => category.items)
        .find((item) => item.id === shop.cookieId)?.price;
    // Both instances hold the current menu in their local cache first.
    for (const target of [api2, api3])
      expect(cookiePrice(expectStatus(await call(target, 'GET', path), 200))).toBe(250);

    const { version } = expectStatus(await shop.owner.get(api1, `/api/v1/menu/items/${shop.cookieId}`), 200).body as {
      version: number;
    };
    expectStatus(await shop.owner.patch(api1, `/api/v1/menu/items/${shop.cookieId}`, { price: 275, version }), 200);
    const answeredAt = Date.now();

    const watches = await Promise.all(
      [api2, api3].map((target) =>
        watchMenu(target, path, (res) => res.status === 200 && cookiePrice(res) === 275, answeredAt),
      ),
    );
    for (const watch of watches) expectVisibleWithinASecond(watch);
  });

  describe('Idempotency-Key across instances', () => {
    it('replayed on instances 2 and 3 returns the order placed on instance 1, and creates nothing', async () => {
      const shop = await createShop(sysadmin, api1);
      const key = idempotencyKey();
      const first = expectStatus(await placeOrder(shop, api1, takeaway(shop), key), 201);
      for (const target of [api2, api3]) {
        const again = await placeOrder(shop, target, takeaway(shop), key);
        expect([200, 201]).toContain(again.status);
        expect(again.body).toEqual(first.body);
      }
      const otherBody = await placeOrder(shop, api3, takeaway(shop, 2), key);
      expect(otherBody.status).toBe(409);
      expect(otherBody.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await ordersOf(shop.restaurantId)).toBe(1);
    });

    it('the same key sent to the three instances at once creates one order', async () => {
      const shop = await createShop(sysadmin, api1);
      const keys = Array.from({ length: 5 }, () => idempotencyKey());
      const replies = await Promise.all(
        keys.flatMap((key, k) =>
          apis.map(async (target) => ({ key, k, res: await placeOrder(shop, target, takeaway(shop, k + 1), key) })),
        ),
      );
      for (const [k, key] of keys.entries()) {
        const mine = replies.filter((reply) => reply.key === key);
        for (const { res } of mine) {
          // The contract's two ways for a duplicate in flight: wait and replay, or 409 IN_USE with Retry-After.
          if (res.status === 409) {
            expect(res.body.code).toBe('IDEMPOTENCY_KEY_IN_USE');
            expect(res.headers.get('retry-after')).toBeTruthy();
          } else expect([200, 201]).toContain(res.status);
        }
        const orders = mine.filter(({ res }) => res.status !== 409).map(({ res }) => res.body as OrderJson);
        expect(orders.length).toBeGreaterThanOrEqual(1);
        expect(new Set(orders.map((order) => order.id)).size).toBe(1);
        expect(orders[0]).toMatchObject(expectedTotals(k + 1));
      }
      expect(await ordersOf(shop.restaurantId)).toBe(keys.length);
    });
  });

  describe('sessions end on every instance at the next request', () => {
    it('logout on instance 1: the session is refused on instances 2 and 3, as cookie, bearer and refresh', async () => {
      const shop = await createShop(sysadmin, api1);
      const session = shop.staff;
      for (const target of [api2, api3]) expectStatus(await session.get(target, '/api/v1/auth/me'), 200);
      const copy = Object.assign(new Session(), { cookies: { ...session.cookies }, csrfToken: session.csrfToken });

      expectStatus(await session.post(api1, '/api/v1/auth/logout'), 204);

      for (const target of [api2, api3]) {
        const byCookie = await copy.get(target, '/api/v1/auth/me');
        expect(byCookie.status).toBe(401);
        expect(byCookie.body.code).toBe('UNAUTHENTICATED');
        const byBearer = await call(target, 'GET', '/api/v1/orders', {
          headers: { authorization: `Bearer ${copy.accessToken}` },
        });
        expect(byBearer.status).toBe(401);
      }
      expect((await copy.post(api3, '/api/v1/auth/refresh')).status).toBe(401);
      // Only that session: the owner's goes on.
      expectStatus(await shop.owner.get(api2, '/api/v1/auth/me'), 200);
    });

    it('suspension on instance 1: its users get 403 TENANT_SUSPENDED on instances 2 and 3, its public menu 404 within 1 s', async () => {
      const shop = await createShop(sysadmin, api1);
      const path = `/api/v1/public/restaurants/${shop.slug}/menu`;
      for (const target of [api2, api3]) {
        expectStatus(await shop.owner.get(target, '/api/v1/menu/items'), 200);
        expectStatus(await shop.staff.get(target, '/api/v1/orders'), 200);
        expectStatus(await call(target, 'GET', path), 200);
      }

      expectStatus(
        await sysadmin.patch(api1, `/api/v1/sysadmin/restaurants/${shop.restaurantId}`, { status: 'suspended' }),
        200,
      );
      const answeredAt = Date.now();

      for (const target of [api2, api3]) {
        for (const res of [
          await shop.owner.get(target, '/api/v1/menu/items'),
          await shop.staff.get(target, '/api/v1/orders'),
          await call(target, 'GET', '/api/v1/orders', {
            headers: { authorization: `Bearer ${shop.staff.accessToken}` },
          }),
        ]) {
          expect(res.status).toBe(403);
          expect(res.body.code).toBe('TENANT_SUSPENDED');
        }
      }
      const watches = await Promise.all(
        [api2, api3].map((target) => watchMenu(target, path, (res) => res.status === 404, answeredAt)),
      );
      for (const watch of watches) expectVisibleWithinASecond(watch);
    });
  });

  it('a daily report requested through instance 2 is processed once, by the worker', async () => {
    const shop = await createShop(sysadmin, api1);
    const order = expectStatus(await placeOrder(shop, api1, takeaway(shop), idempotencyKey()), 201).body as OrderJson;
    for (const status of ['preparing', 'ready'])
      expectStatus(await shop.staff.post(api3, `/api/v1/orders/${order.id}/status`, { status }), 200);
    expectStatus(
      await shop.staff.post(api3, `/api/v1/orders/${order.id}/status`, { status: 'paid', paymentMethod: 'cash' }),
      200,
    );
    const today = new Date().toISOString().slice(0, 10);

    const { jobId } = expectStatus(await shop.owner.post(api2, '/api/v1/reports/daily', { date: today }), 202).body as {
      jobId: string;
    };
    const expected = {
      id: jobId,
      state: 'completed',
      result: { date: today, orders: 1, revenue: order.subtotal - order.discount },
    };
    const done = await eventually(async () => {
      const job = expectStatus(await shop.owner.get(api3, `/api/v1/reports/jobs/${jobId}`), 200).body as {
        state: string;
      };
      if (job.state === 'failed') throw new Error(`job failed: ${JSON.stringify(job)}`);
      return job.state === 'completed' ? job : undefined;
    }, 300);
    expect(done).toEqual(expected);
    expect(expectStatus(await shop.owner.get(api1, `/api/v1/reports/jobs/${jobId}`), 200).body).toEqual(expected);

    // The cluster's own Redis prefix: this is the only reports.daily job its worker has seen.
    const metrics = expectStatus(await call(worker, 'GET', '/metrics'), 200).body as string;
    expect(jobAttempts(metrics, 'reports.daily', 'completed')).toBe(1);
    expect(jobAttempts(metrics, 'reports.daily', 'failed')).toBe(0);
    const [rows] = await db!.query(
      'SELECT COUNT(*) AS n FROM daily_reports WHERE restaurant_id = ? AND business_date = ?',
      [shop.restaurantId, today],
    );
    expect(Number((rows as { n: number }[])[0]?.n)).toBe(1);
    expect(expectStatus(await shop.owner.get(api1, `/api/v1/reports/daily/${today}`), 200).body).toMatchObject({
      date: today,
      orders: 1,
      revenue: order.subtotal - order.discount,
    });
  });

  // Last: it ends instance 1.
  it('SIGKILL of instance 1 mid-request: every 201 is in the database, nothing is half-written, retries create each order once', async () => {
    const shop = await createShop(sysadmin, api1);
    interface Attempt {
      key: string;
      cookies: number;
      status?: number;
      order?: OrderJson;
      lost?: boolean;
    }
    const attempts: Attempt[] = [];
    const CLIENTS = 12;
    const KILL_AFTER = 20;
    let created = 0;
    let killed = false;
    // Each client places orders back to back, so at any moment CLIENTS requests are in flight on instance 1.
    const client = async (c: number): Promise<void> => {
      for (let n = 0; !killed && attempts.length < 400; n++) {
        const attempt: Attempt = { key: idempotencyKey(), cookies: 1 + ((c + n) % 3) };
        attempts.push(attempt);
        try {
          const res = await placeOrder(shop, api1, takeaway(shop, attempt.cookies), attempt.key);
          attempt.status = res.status;
          attempt.order = res.body as OrderJson;
          if (res.status !== 201) return;
          if (++created === KILL_AFTER && !killed) {
            api1.child.kill('SIGKILL');
            killed = true;
          }
        } catch {
          attempt.lost = true; // no answer: the connection died with the process
          return;
        }
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
    expect((await api1.exited).signal).toBe('SIGKILL');

    const answered = attempts.filter((attempt) => attempt.status !== undefined);
    const lost = attempts.filter((attempt) => attempt.lost);
    expect(answered.map((attempt) => attempt.status)).toEqual(answered.map(() => 201));
    // The kill did cut requests short (else this proves nothing about mid-request).
    expect(lost.length).toBeGreaterThan(0);
    expect(answered.length + lost.length).toBe(attempts.length);

    // The database as the kill left it, in one snapshot.
    const { orders: stored, keys, orphanLines, linesOf } = await snapshotOrders(db!, shop.restaurantId);
    // Nothing half-written: every stored order has its two lines, totals that add up, its first history entry.
    for (const [id, order] of stored) {
      expect({ id, ...order }).toMatchObject({
        id,
        lineCount: 2,
        lineSum: order.subtotal,
        lineTax: order.tax,
        total: order.subtotal + order.tax - order.discount + order.tip,
        history: 1,
      });
    }
    expect(new Set([...stored.values()].map((order) => order.number)).size).toBe(stored.size);
    expect(orphanLines).toBe(0);
    // One completed key per stored order, and no key left claimed by the dead process.
    expect([...keys.values()].filter((row) => row.status !== 'completed')).toEqual([]);
    expect(keys.size).toBe(stored.size);
    expect(new Set([...keys.values()].map((row) => (JSON.parse(row.response_body ?? '{}') as OrderJson).id))).toEqual(
      new Set(stored.keys()),
    );

    // Every 201 seen is there, with all its lines, as answered and priced right.
    for (const attempt of answered) {
      const order = attempt.order!;
      expect(stored.get(order.id)).toMatchObject({
        number: order.number,
        subtotal: order.subtotal,
        tax: order.tax,
        total: order.total,
      });
      expect(order).toMatchObject(expectedTotals(attempt.cookies));
      expect(keys.get(attempt.key)?.status).toBe('completed');
      expect(linesOf(order.id)).toEqual(
        order.items.map(({ id, unitPrice, quantity, lineTotal }) => ({ id, unitPrice, quantity, lineTotal })),
      );
    }

    // The clients of the lost requests retry with the same key on instance 2: the order is placed
    // now if the kill rolled it back, or replayed if it had committed; either way exactly once.
    for (const attempt of lost) {
      const res = await eventually(async () => {
        const retry = await placeOrder(shop, api2, takeaway(shop, attempt.cookies), attempt.key);
        if (retry.status === 200 || retry.status === 201) return retry;
        if (retry.status === 409 || retry.status === 503) return undefined; // still being released
        throw new Error(`retry answered ${retry.status}: ${JSON.stringify(retry.body)}`);
      });
      expect(res.body).toMatchObject(expectedTotals(attempt.cookies));
      if (keys.has(attempt.key)) {
        expect(res.body.id).toBe((JSON.parse(keys.get(attempt.key)!.response_body!) as OrderJson).id);
      }
    }
    expect(await ordersOf(shop.restaurantId)).toBe(attempts.length);
  });
});
