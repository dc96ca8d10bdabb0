// npm run bench -- orders-paging   (MariaDB: DATABASE_URL set; BENCH_ORDERS, default 1000000)
// GET /orders: the first page next to a page ~10,000 pages deep reached by cursor,
// on one restaurant with many orders; prints both and the ratio deep/first.
import { execFileSync } from 'node:child_process';
import { compare, connectMysql, load, login, pin, report, ROOT, startApi, verdict } from './lib.mjs';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 1_000_000);
const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const LIMIT = 20;

const db = await connectMysql('orders-paging');

console.error(`seeding ${ORDERS} orders…`);
const seeded = JSON.parse(
  execFileSync(process.execPath, [`${ROOT}scripts/seed-load.mjs`, '--orders', String(ORDERS)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }),
);

const depth = Math.min(10_000 * LIMIT, ORDERS - LIMIT * 2);
const [rows] = await db.query(
  'SELECT created_at, id FROM orders WHERE restaurant_id = ? ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET ?',
  [seeded.restaurantId, depth - 1],
);
await db.end();
const cursor = Buffer.from(`${new Date(rows[0].created_at).toISOString()}|${rows[0].id}`).toString('base64url');

const api = await startApi();
try {
  const { token } = await login(api.url, seeded.email, seeded.password);
  const headers = { authorization: `Bearer ${token}` };
  const first = `${api.url}/api/v1/orders?limit=${LIMIT}`;
  const deep = `${api.url}/api/v1/orders?limit=${LIMIT}&cursor=${cursor}`;
  const check = await (await fetch(deep, { headers })).json();
  if (!Array.isArray(check.items) || check.items.length !== LIMIT)
    throw new Error(`deep page is wrong: ${JSON.stringify(check).slice(0, 200)}`);
  const pinned = pin(api.child.pid, 0) && pin(process.pid, 1);
  console.log(
    `${ORDERS} orders in one restaurant; deep page after ${depth} orders (~${depth / LIMIT} pages); ${pinned ? 'API on core 0, load on core 1' : 'unpinned'}`,
  );
  await load(first, { headers, connections: 16, duration: 2 });
  await load(deep, { headers, connections: 16, duration: 2 });
  const [firstRun, deepRun] = await compare(
    [
      { name: 'GET /orders first page', url: first },
      { name: `GET /orders cursor page ${depth / LIMIT}`, url: deep },
    ],
    { rounds: ROUNDS, headers, connections: 16, duration: DURATION },
  );
  report([firstRun, deepRun]);
  console.log(`throughput first/deep: ${(firstRun.rps / deepRun.rps).toFixed(2)}`);
  verdict('ratio deep/first page p99 latency', deepRun.p99 / Math.max(firstRun.p99, 1), { atMost: 2 });
} finally {
  await api.stop();
}
