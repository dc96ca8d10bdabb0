import { RestaurantRepository } from '@coffee/tenancy';
import { uniqueEmail, uniqueSlug } from '../factories/restaurant.factory';
import { newFile } from '../support/embedded';
import { baseEnv, FULL_MODE } from '../support/env';
import { eventually, runCli, spawnApp, type RunningProcess } from '../support/processes';
import { BrowserSession } from '../support/session';
import { startTestApi, type TestApi } from '../support/test-app';

// Spawns real processes (Nest boot, argon2, a dozen orders): slow on a loaded 2-core machine.
jest.setTimeout(120_000);

const itEmbedded = FULL_MODE ? it.skip : it;

const HINT = 'No sysadmin exists yet';

/** The API's output up to its "listening" line, which comes after everything its start logs. */
async function startLog(api: RunningProcess): Promise<string> {
  return eventually(() => Promise.resolve(api.output().includes(' listening on ') ? api.output() : undefined));
}

interface Credentials {
  role: string;
  email: string;
  password: string;
}

/** The `  <role>  <email>  <password>` lines seed-demo prints. */
function credentialsIn(output: string): Credentials[] {
  return [...output.matchAll(/^ {2}(owner|staff) +(\S+@\S+) +(\S+)$/gm)].map(([, role, email, password]) => ({
    role,
    email,
    password,
  }));
}

describe('the API start log', () => {
  const noSysadminFromEnv = { SYSADMIN_EMAIL: undefined, SYSADMIN_PASSWORD: undefined, LOG_LEVEL: 'info' };

  // Only a database of its own can be without a sysadmin: the shared full-mode one has the suites'.
  itEmbedded('says how to make a sysadmin when the database has none', async () => {
    const api = await spawnApp('api', { ...noSysadminFromEnv, SQLITE_PATH: newFile() });
    try {
      const log = await startLog(api);
      expect(log).toContain(HINT);
      expect(log).toContain('SYSADMIN_EMAIL and SYSADMIN_PASSWORD');
      expect(log).toContain('npm run cli -- create-sysadmin --email');
      expect(log).toContain('npm run seed:demo');
      expect(log.split('\n').filter((line) => line.includes(HINT))).toHaveLength(1);
    } finally {
      await api.stop();
    }
  });

  it('says nothing of it once a sysadmin exists', async () => {
    const env = baseEnv();
    const created = await runCli(
      ['create-sysadmin', '--email', uniqueEmail('ops'), '--password', 'ops-Password-2026!'],
      env,
    );
    expect(created).toMatchObject({ code: 0 });
    // Operator commands do not give the API's hint.
    expect(created.output).not.toContain(HINT);
    const api = await spawnApp('api', { ...noSysadminFromEnv, SQLITE_PATH: env.SQLITE_PATH });
    try {
      expect(await startLog(api)).not.toContain(HINT);
    } finally {
      await api.stop();
    }
  });
});

describe('npm run seed:demo', () => {
  const env = baseEnv();
  let api: TestApi | undefined;

  afterAll(async () => {
    await api?.close();
  });

  it('creates a demo café once, whose owner and staff can sign in and see its menu and orders', async () => {
    // The shared full-mode database outlives test runs: a slug of this run's own.
    const slug = uniqueSlug('demo');

    const refused = await runCli(['seed-demo', '--slug', slug], {
      ...env,
      NODE_ENV: 'production',
      WEBHOOK_ALLOW_PRIVATE: 'false',
    });
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('seed-demo: refused with NODE_ENV=production');

    const first = await runCli(['seed-demo', '--slug', slug], env);
    expect(first).toMatchObject({ code: 0 });
    expect(first.output).toContain(`Created the demo café "Demo Café" (slug ${slug}, plan pro, USD, America/New_York)`);
    const [owner, staff] = credentialsIn(first.output);
    expect(owner).toMatchObject({ role: 'owner', email: `owner+${slug}@demo.coffee` });
    expect(staff).toMatchObject({ role: 'staff', email: `staff+${slug}@demo.coffee` });
    expect(owner.password).not.toBe(staff.password);

    const second = await runCli(['seed-demo', '--slug', slug], env);
    expect(second.code).toBe(0);
    expect(second.output).toContain(`The demo café "${slug}" already exists; nothing changed.`);
    expect(second.output).not.toContain(owner.password);
    expect(second.output).not.toContain(staff.password);
    expect(credentialsIn(second.output)).toEqual([]);

    api = await startTestApi({ SQLITE_PATH: env.SQLITE_PATH });
    const restaurant = await api.app.get(RestaurantRepository).findBySlug(slug);
    expect(restaurant).toMatchObject({ name: 'Demo Café', currency: 'USD', timezone: 'America/New_York' });

    const session = await BrowserSession.login(api.server, owner.email, owner.password);
    expect((await session.get('/api/v1/subscriptions/current').expect(200)).body.planCode).toBe('pro');
    // Counts after the second run: it added nothing.
    const items = (await session.get('/api/v1/menu/items?limit=100').expect(200)).body as {
      items: { name: string; modifierGroups: { name: string; options: { name: string; priceDelta: number }[] }[] }[];
    };
    expect(items.items).toHaveLength(11);
    const flatWhite = items.items.find((item) => item.name === 'Flat white');
    expect(flatWhite?.modifierGroups).toEqual([
      expect.objectContaining({
        name: 'Milk',
        options: [
          expect.objectContaining({ name: 'Oat', priceDelta: 60 }),
          expect.objectContaining({ name: 'Almond', priceDelta: 60 }),
        ],
      }),
      expect.objectContaining({
        name: 'Size',
        options: [
          expect.objectContaining({ name: 'Small', priceDelta: 0 }),
          expect.objectContaining({ name: 'Large', priceDelta: 100 }),
        ],
      }),
    ]);
    const tables = (await session.get('/api/v1/tables').expect(200)).body as { items: unknown[] };
    expect(tables.items).toHaveLength(4);

    const orders = (await session.get('/api/v1/orders?limit=100').expect(200)).body as {
      items: { id: string; status: string; paymentMethod: string | null; tip: number; total: number }[];
    };
    expect(orders.items).toHaveLength(10);
    expect(new Set(orders.items.map((order) => order.status))).toEqual(
      new Set(['pending', 'preparing', 'ready', 'served', 'paid', 'cancelled']),
    );
    const paid = orders.items.filter((order) => order.status === 'paid');
    expect(new Set(paid.map((order) => order.paymentMethod))).toEqual(new Set(['cash', 'card']));
    expect(paid.every((order) => order.tip > 0 && order.total > order.tip)).toBe(true);
    const cancelled = orders.items.find((order) => order.status === 'cancelled');
    const history = (await session.get(`/api/v1/orders/${cancelled?.id}/history`).expect(200)).body as {
      items: { to: string; reason: string | null }[];
    };
    expect(history.items.at(-1)).toMatchObject({ to: 'cancelled', reason: expect.any(String) });

    const staffSession = await BrowserSession.login(api.server, staff.email, staff.password);
    await staffSession.get('/api/v1/orders?status=pending').expect(200);
  });

  it('without a database configured, makes demo-cafe in the SQLite file, with the documented emails', async () => {
    const unset = ['DATABASE_URL', 'DB_TYPE', 'DB_HOST', 'DB_PORT', 'DB_NAME', 'DB_USER', 'DB_PASS', 'REDIS_URL'];
    const noDatabase = {
      ...env,
      ...Object.fromEntries(unset.map((name) => [name, undefined])),
      DB_MIGRATE_ON_START: undefined,
      SQLITE_PATH: newFile(),
    };
    expect((await runCli(['seed-demo', '--password', 'password123'], noDatabase)).code).toBe(1);
    const seeded = await runCli(['seed-demo', '--password', 'demo-Password-2026'], noDatabase);
    expect(seeded).toMatchObject({ code: 0 });
    expect(seeded.output).toContain('(slug demo-cafe,');
    expect(credentialsIn(seeded.output)).toEqual([
      { role: 'owner', email: 'owner@demo.coffee', password: 'demo-Password-2026' },
      { role: 'staff', email: 'staff@demo.coffee', password: 'demo-Password-2026' },
    ]);
  });
});
