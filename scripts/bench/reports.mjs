// npm run bench -- reports   (MariaDB + Redis: DATABASE_URL and REDIS_URL set; BENCH_ORDERS, default 1000000)
// The sales dashboard, uncached, for 1, 30 and 365 days, next to the first page
// of GET /orders in the same run, on one restaurant with a year of paid orders
// (seed:load, which fills the rollups as payments would). Prints p99 of each
// and the dashboard/orders ratios (target: dashboard p99 <= 2x the orders page).
//
// "Uncached": every dashboard request sends `Cache-Control: no-cache`, the
// documented way to skip the cached copy, so each one reads the sales version,
// the restaurant, the rollups and the category names, as after a payment.
import { execFileSync } from 'node:child_process';
import { compare, load, login, pin, report, ROOT, startApi, verdict } from './lib.mjs';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 1_000_000);
const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 16;

if (!process.env.DATABASE_URL) {
  console.error('reports needs MariaDB: eval "$(bash scripts/services.sh up)" && npm run migration:run first');
  process.exit(2);
}

console.error(`seeding ${ORDERS} orders over 365 days…`);
const seeded = JSON.parse(
  execFileSync(process.execPath, [`${ROOT}scripts/seed-load.mjs`, '--orders', String(ORDERS), '--days', '365'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }),
);

const day = (offset) => new Date(Date.now() - offset * 86_400_000).toISOString().slice(0, 10);
const api = await startApi();
try {
  const { token } = await login(api.url, seeded.email, seeded.password);
  const headers = { authorization: `Bearer ${token}`, 'cache-control': 'no-cache' };
  const orders = `${api.url}/api/v1/orders?limit=20`;
  const dashboard = (days) => `${api.url}/api/v1/reports/dashboard?from=${day(days - 1)}&to=${day(0)}`;
  const year = await (await fetch(dashboard(365), { headers })).json();
  if (typeof year.orders !== 'number' || year.orders < ORDERS * 0.99)
    throw new Error(`the 365-day dashboard is wrong: ${JSON.stringify(year).slice(0, 200)}`);
  const pinned = pin(api.child.pid, 0) && pin(process.pid, 1);
  console.log(
    `${ORDERS} paid orders over 365 days in one restaurant; ${CONNECTIONS} clients, ${ROUNDS} alternating rounds of ${DURATION}s (medians); ${pinned ? 'API on core 0, load on core 1' : 'unpinned'}; ${process.env.REDIS_URL ? 'MariaDB + Redis' : 'MariaDB'}`,
  );
  for (const url of [orders, dashboard(365)]) await load(url, { headers, connections: CONNECTIONS, duration: 2 });
  const runs = await compare(
    [
      { name: 'GET /orders first page', url: orders },
      { name: 'GET /reports/dashboard 1 day, uncached', url: dashboard(1) },
      { name: 'GET /reports/dashboard 30 days, uncached', url: dashboard(30) },
      { name: 'GET /reports/dashboard 365 days, uncached', url: dashboard(365) },
    ],
    { rounds: ROUNDS, headers, connections: CONNECTIONS, duration: DURATION },
  );
  report(runs);
  const [list, ...dashboards] = runs;
  for (const [label, run] of [
    ['1 day', dashboards[0]],
    ['30 days', dashboards[1]],
    ['365 days', dashboards[2]],
  ])
    verdict(`ratio dashboard ${label}, uncached/orders page p99`, run.p99 / Math.max(list.p99, 1), { atMost: 2 });
} finally {
  await api.stop();
}
