// npm run bench -- orders-list   (MariaDB + Redis: DATABASE_URL and REDIS_URL set; BENCH_ORDERS, default 200)
// The authenticated first page of GET /orders (bearer access JWT: signature,
// session check, tenant, role, validation, mapping) next to a bare Fastify +
// mysql2 route that checks the same JWT and runs the same three queries.
import { randomUUID } from 'node:crypto';
import {
  compare,
  createRestaurant,
  freePort,
  json,
  load,
  pin,
  report,
  ROOT,
  rssMb,
  startApi,
  startServer,
  verdict,
} from './lib.mjs';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 200);
const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 16;
const JWT_SECRET = 'bench-only-7f3e9a1c5b2d8e4f6a0c1b3d5e7f9a2c';

if (!process.env.DATABASE_URL) {
  console.error('orders-list needs MariaDB: eval "$(bash scripts/services.sh up)" && npm run migration:run first');
  process.exit(2);
}

async function seed(url) {
  const { headers, token } = await createRestaurant(url, 'list');
  const { body: category } = await json(`${url}/api/v1/menu/categories`, {
    method: 'POST',
    headers,
    body: { name: 'Coffee' },
  });
  const { body: item } = await json(`${url}/api/v1/menu/items`, {
    method: 'POST',
    headers,
    body: { categoryId: category.id, name: 'Latte', price: 450, taxRateBps: 1000 },
  });
  for (let i = 0; i < ORDERS; i++) {
    await json(`${url}/api/v1/orders`, {
      method: 'POST',
      headers: { ...headers, 'idempotency-key': randomUUID() },
      body: { type: 'takeaway', items: [{ menuItemId: item.id, quantity: 1 + (i % 3) }] },
    });
  }
  return token;
}

async function startBare() {
  const port = await freePort();
  return startServer(
    [`${ROOT}scripts/bench/bare-orders-list.cjs`],
    { ...process.env, PORT: String(port), JWT_SECRET },
    port,
    '/ready',
  );
}

const api = await startApi({ JWT_SECRET });
let bare;
try {
  const token = await seed(api.url);
  bare = await startBare();
  const headers = { authorization: `Bearer ${token}` };
  const apiUrl = `${api.url}/api/v1/orders?limit=20`;
  const bareUrl = `${bare.url}/orders?limit=20`;
  for (const target of [apiUrl, bareUrl]) {
    const page = await (await fetch(target, { headers })).json();
    if (!Array.isArray(page.items) || page.items.length !== Math.min(20, ORDERS))
      throw new Error(`${target} answered ${JSON.stringify(page).slice(0, 200)}`);
  }
  const pinned = pin(api.child.pid, 0) && pin(bare.child.pid, 0) && pin(process.pid, 1);
  console.log(
    `${CONNECTIONS} clients, ${ROUNDS} alternating rounds of ${DURATION}s (medians); ${ORDERS} orders; ${pinned ? 'servers on core 0, load on core 1' : 'unpinned'}; ${process.env.REDIS_URL ? 'MariaDB + Redis' : 'MariaDB'}`,
  );
  await load(apiUrl, { headers, connections: CONNECTIONS, duration: 2 });
  await load(bareUrl, { headers, connections: CONNECTIONS, duration: 2 });
  const [baseline, listed] = await compare(
    [
      { name: 'bare Fastify + mysql2, JWT + same queries', url: bareUrl },
      { name: 'API GET /api/v1/orders (bearer JWT)', url: apiUrl },
    ],
    { rounds: ROUNDS, headers, connections: CONNECTIONS, duration: DURATION },
  );
  report([baseline, listed]);
  verdict('ratio api/bare GET /orders first page', listed.rps / baseline.rps, { atLeast: 0.5 });
  verdict('API RSS after the order-list load', rssMb(api.child.pid), { atMost: 250, unit: ' MB' });
} finally {
  await bare?.stop();
  await api.stop();
}
