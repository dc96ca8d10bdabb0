import { DataSource } from 'typeorm';
import { newId } from '@coffee/database';
import { MenuCategoryEntity, MenuItemEntity } from '@coffee/menu';
import { TableEntity } from '@coffee/tables';
import { seedRestaurant, TEST_PASSWORD } from '../factories/restaurant.factory';
import { describeFull } from '../support/env';
import { BrowserSession } from '../support/session';
import { startTestApi, type TestApi } from '../support/test-app';

interface ExplainRow {
  table: string;
  type: string;
  key: string | null;
}

/**
 * The list endpoints' real SQL (captured from TypeORM while serving requests)
 * must read through an index on MariaDB, not scan the table.
 */
describeFull('query plans of the list endpoints (EXPLAIN on MariaDB)', () => {
  let api: TestApi;
  let dataSource: DataSource;
  let owner: BrowserSession;
  let categoryId: string;

  beforeAll(async () => {
    api = await startTestApi();
    dataSource = api.app.get(DataSource);
    // Enough rows in several restaurants that the optimizer prefers indexes to scans.
    for (let r = 0; r < 4; r++) {
      const { restaurant } = await seedRestaurant(api.app);
      const categories = Array.from({ length: 10 }, (_, i) => ({
        id: newId(),
        restaurantId: restaurant.id,
        name: `C${i}`,
        description: '',
        position: i,
        isActive: true,
        alive: 1,
      }));
      await dataSource.getRepository(MenuCategoryEntity).insert(categories);
      await dataSource.getRepository(MenuItemEntity).insert(
        Array.from({ length: 300 }, (_, i) => ({
          id: newId(),
          restaurantId: restaurant.id,
          categoryId: categories[i % 10].id,
          name: `Item ${i}`,
          description: '',
          price: 100 + i,
          taxRateBps: 0,
          sku: null,
          isAvailable: i % 3 !== 0,
          position: i,
          version: 1,
          alive: 1,
        })),
      );
      await dataSource.getRepository(TableEntity).insert(
        Array.from({ length: 30 }, (_, i) => ({
          id: newId(),
          restaurantId: restaurant.id,
          label: `T${i}`,
          seats: 2,
          isActive: true,
          qrToken: newId() + newId().slice(0, 7),
          alive: 1,
        })),
      );
    }
    const cafe = await seedRestaurant(api.app);
    owner = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
    categoryId = (await owner.post('/api/v1/menu/categories', { name: 'Mine' }).expect(201)).body.id as string;
    await dataSource.query('ANALYZE TABLE menu_items, menu_categories, dining_tables, users, api_keys');
  });

  afterAll(async () => {
    await api.close();
  });

  async function plansFor(path: string, table: string): Promise<ExplainRow[]> {
    const captured: { query: string; parameters: unknown[] | undefined }[] = [];
    const logger = dataSource.logger;
    const original = logger.logQuery.bind(logger);
    logger.logQuery = (query, parameters, runner) => {
      captured.push({ query, parameters: parameters as unknown[] | undefined });
      original(query, parameters, runner);
    };
    try {
      await owner.get(path).expect(200);
    } finally {
      logger.logQuery = original;
    }
    const selects = captured.filter(({ query }) => /^SELECT/i.test(query) && query.includes(`\`${table}\``));
    expect(selects.length).toBeGreaterThan(0);
    const plans: ExplainRow[] = [];
    for (const { query, parameters } of selects) {
      const rows = await dataSource.query<ExplainRow[]>(`EXPLAIN ${query}`, parameters);
      // Every table the statement reads (they are aliased, so all rows count).
      plans.push(...rows.filter((row) => !/^<.*>$/.test(row.table)));
    }
    return plans;
  }

  it.each([
    ['/api/v1/menu/items?limit=20', 'menu_items'],
    ['/api/v1/menu/items?limit=20&isAvailable=true', 'menu_items'],
    ['/api/v1/menu/items?limit=20&sort=-price', 'menu_items'],
    ['/api/v1/menu/categories', 'menu_categories'],
    ['/api/v1/tables', 'dining_tables'],
    ['/api/v1/users', 'users'],
    ['/api/v1/api-keys', 'api_keys'],
  ])('%s reads %s through an index', async (path, table) => {
    const plans = await plansFor(path, table);
    expect(plans.length).toBeGreaterThan(0);
    for (const plan of plans) {
      expect(plan.type).not.toBe('ALL');
      expect(plan.key).not.toBeNull();
    }
  });

  it('filters by category through the (restaurant, category, position) index', async () => {
    const plans = await plansFor(`/api/v1/menu/items?categoryId=${categoryId}`, 'menu_items');
    expect(plans.map((plan) => plan.key)).toContain('ix_menu_items_restaurant_category_position');
  });
});
