// npm run bench -- orders-placement   (MariaDB: DATABASE_URL set)
// Order placement through the API (idempotency key, pricing, daily number,
// order + lines + history, the plan-limit gate, one transaction) at 32 concurrent clients, next to a
// bare Fastify + mysql2 route inserting the same rows in one transaction.
import { randomUUID } from 'node:crypto';
import { compare, createOrderingShop, freePort, pin, report, ROOT, startApi, startServer } from './lib.mjs';

const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 32;

if (!process.env.DATABASE_URL) {
  console.error('orders-placement needs MariaDB: eval "$(bash scripts/services.sh up)" && npm run migration:run first');
  process.exit(2);
}

/** A POST with a fresh Idempotency-Key per request: every request places a new order. */
function placing(url, headers, body) {
  return {
    url,
    options: {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      requests: [
        {
          setupRequest: (request) => ({ ...request, headers: { ...request.headers, 'idempotency-key': randomUUID() } }),
        },
      ],
    },
  };
}

/**
 * On the pro plan (10,000 orders a month), so every placement pays for the
 * plan-limit gate: the subscription row lock and the month's counter sum.
 * A run places a few thousand orders in a new restaurant, well under the limit.
 */
async function seed(url) {
  const { restaurantId, items, apiKey } = await createOrderingShop(url, 'place', undefined, 'pro');
  return { restaurantId, items, apiKey };
}

async function startBare(restaurantId, items) {
  const port = await freePort();
  return startServer(
    [`${ROOT}scripts/bench/bare-placement.cjs`],
    {
      ...process.env,
      PORT: String(port),
      RESTAURANT_ID: restaurantId,
      ITEMS: JSON.stringify(items.map(({ id, name, price }) => ({ id, name, price }))),
    },
    port,
    '/ready',
  );
}

const api = await startApi();
let bare;
try {
  const { restaurantId, items, apiKey } = await seed(api.url);
  bare = await startBare(restaurantId, items);
  const pinned = pin(api.child.pid, 0) && pin(bare.child.pid, 0) && pin(process.pid, 1);
  const body = {
    type: 'takeaway',
    items: [
      { menuItemId: items[0].id, quantity: 2 },
      { menuItemId: items[1].id, quantity: 1 },
    ],
  };
  console.log(
    `${CONNECTIONS} clients, ${ROUNDS} alternating rounds of ${DURATION}s (medians); ${pinned ? 'servers on core 0, load on core 1' : 'unpinned'}; MariaDB`,
  );
  const [baseline, placed] = await compare(
    [
      { name: 'bare Fastify + mysql2, same rows', ...placing(`${bare.url}/orders`, {}, body) },
      {
        name: 'API POST /api/v1/orders',
        ...placing(`${api.url}/api/v1/orders`, { authorization: `Bearer ${apiKey}` }, body),
      },
    ],
    { rounds: ROUNDS, connections: CONNECTIONS, duration: DURATION },
  );
  report([baseline, placed]);
  console.log(`ratio api/bare: ${(placed.rps / baseline.rps).toFixed(2)} (target >= 0.25)`);
} finally {
  await bare?.stop();
  await api.stop();
}
