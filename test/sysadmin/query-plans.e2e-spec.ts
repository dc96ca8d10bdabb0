import { DataSource } from 'typeorm';
import { AUDIT_ACTIONS, AuditLogEntity } from '@coffee/audit';
import { newId } from '@coffee/database';
import { OrderCounterEntity } from '@coffee/orders';
import { seedRestaurant } from '../factories/restaurant.factory';
import { describeFull, SYSADMIN } from '../support/env';
import { BrowserSession } from '../support/session';
import { startTestApi, type TestApi } from '../support/test-app';

interface ExplainRow {
  table: string;
  type: string;
  key: string | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The console's platform-wide reads (captured from TypeORM while serving the
 * requests) must go through indexes on MariaDB: GET /stats reads counts from
 * indexes and today's orders from a few dates of the daily counters, never
 * the orders; the audit log is read in `at` order through the index of its
 * filter.
 */
describeFull('query plans of the sysadmin console (EXPLAIN on MariaDB)', () => {
  let api: TestApi;
  let dataSource: DataSource;
  let sysadmin: BrowserSession;
  let restaurantId: string;

  beforeAll(async () => {
    api = await startTestApi();
    dataSource = api.app.get(DataSource);
    sysadmin = await BrowserSession.login(api.server, SYSADMIN.email, SYSADMIN.password);
    // Enough history that the optimizer prefers the indexes to scans: a year of daily counters and
    // a few thousand audit rows over several restaurants and actors.
    const restaurants = [];
    for (let r = 0; r < 4; r++) restaurants.push((await seedRestaurant(api.app)).restaurant.id);
    restaurantId = restaurants[0];
    const longAgo = Date.now() - 400 * DAY_MS;
    for (const id of restaurants) {
      await dataSource.getRepository(OrderCounterEntity).insert(
        Array.from({ length: 365 }, (_, day) => ({
          restaurantId: id,
          businessDate: new Date(longAgo + day * DAY_MS).toISOString().slice(0, 10),
          lastNumber: 1 + (day % 40),
        })),
      );
      await dataSource.getRepository(AuditLogEntity).insert(
        Array.from({ length: 500 }, (_, i) => ({
          id: newId(),
          at: new Date(longAgo + i * 60_000),
          actorId: newId(),
          actorRole: 'owner',
          restaurantId: id,
          action: AUDIT_ACTIONS[i % AUDIT_ACTIONS.length],
          targetType: 'user',
          targetId: newId(),
          before: null,
          after: '{}',
          requestId: null,
          ip: null,
        })),
      );
    }
    await dataSource.query('ANALYZE TABLE restaurants, users, order_counters, subscriptions, plans, audit_log');
  });

  afterAll(async () => {
    await api?.close();
  });

  async function plansFor(path: string): Promise<{ query: string; plan: ExplainRow }[]> {
    const captured: { query: string; parameters: unknown[] | undefined }[] = [];
    const logger = dataSource.logger;
    const original = logger.logQuery.bind(logger);
    logger.logQuery = (query, parameters, runner) => {
      captured.push({ query, parameters: parameters as unknown[] | undefined });
      original(query, parameters, runner);
    };
    try {
      await sysadmin.get(path).expect(200);
    } finally {
      logger.logQuery = original;
    }
    // The console's own reads (the guard's session check is covered elsewhere).
    const selects = captured.filter(
      ({ query }) =>
        /^\s*SELECT/i.test(query) &&
        /order_counters|audit_log|GROUP BY status|restaurant_id IS NOT NULL|price_monthly/.test(query),
    );
    expect(selects.length).toBeGreaterThan(0);
    const plans: { query: string; plan: ExplainRow }[] = [];
    for (const { query, parameters } of selects) {
      const rows = await dataSource.query<ExplainRow[]>(`EXPLAIN ${query}`, parameters);
      plans.push(...rows.filter((row) => !/^<.*>$/.test(row.table)).map((plan) => ({ query, plan })));
    }
    return plans;
  }

  it('GET /stats reads every table through an index (the 3-row plans table aside)', async () => {
    const plans = await plansFor('/api/v1/sysadmin/stats');
    expect(plans.length).toBeGreaterThanOrEqual(5);
    const scans = plans
      .filter(({ plan }) => plan.table !== 'p' && plan.table !== 'plans')
      .filter(({ plan }) => plan.type === 'ALL' || plan.key === null);
    expect(scans).toEqual([]);
    const keys = plans.map(({ plan }) => plan.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        'ix_restaurants_status',
        'ix_users_restaurant',
        'ix_order_counters_business_date',
        'ix_subscriptions_status_period',
      ]),
    );
  });

  it.each([
    ['unfiltered', ''],
    ['by restaurant', 'restaurantId'],
    ['by action', 'action=user.created'],
  ])('GET /audit-log (%s) reads through an index', async (_name, filter) => {
    const query = filter === 'restaurantId' ? `restaurantId=${restaurantId}` : filter;
    const plans = await plansFor(`/api/v1/sysadmin/audit-log?limit=20&${query}`);
    expect(plans.length).toBeGreaterThan(0);
    for (const { query: sql, plan } of plans)
      expect([sql, plan.type, plan.key === null]).toEqual([sql, expect.not.stringMatching(/^ALL$/), false]);
  });
});
