// npm run bench -- orders-placement   (MariaDB: DATABASE_URL set)
// Order placement through the API (idempotency key, pricing, daily number,
// order + lines + history, the plan-limit gate, one transaction) at 32
// concurrent clients, next to a bare Fastify + mysql2 route inserting the same
// rows in one transaction. Two cases:
// - spread over 32 restaurants (BENCH_RESTAURANTS), as a platform sees it: target >= 0.50;
// - one restaurant, where every placement serializes on the day's order counter
//   by design (numbers are gapless per day): reported apart, target >= 0.25.
import { randomUUID } from 'node:crypto';
import {
  compare,
  createOrderingShop,
  freePort,
  pin,
  report,
  ROOT,
  rssMb,
  startApi,
  startServer,
  verdict,
} from './lib.mjs';

const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const RESTAURANTS = Number(process.env.BENCH_RESTAURANTS ?? 32);
const CONNECTIONS = 32;

if (!process.env.DATABASE_URL) {
  console.error('orders-placement needs MariaDB: eval "$(bash scripts/services.sh up)" && npm run migration:run first');
  process.exit(2);
}

/**
 * POSTs that each place a new order (a fresh Idempotency-Key), turn by turn in
 * each of `shops`: the API is told the restaurant by the shop's API key, the
 * bare route by `x-shop`.
 */
function placing(url, shops, { bare }) {
  let turn = 0;
  return {
    url,
    options: {
      method: 'POST',
      requests: [
        {
          setupRequest: (request) => {
            const index = turn++ % shops.length;
            const shop = shops[index];
            return {
              ...request,
              headers: {
                'content-type': 'application/json',
                'idempotency-key': randomUUID(),
                ...(bare ? { 'x-shop': String(index) } : { authorization: `Bearer ${shop.apiKey}` }),
              },
              body: JSON.stringify({
                type: 'takeaway',
                items: [
                  { menuItemId: shop.items[0].id, quantity: 2 },
                  { menuItemId: shop.items[1].id, quantity: 1 },
                ],
              }),
            };
          },
        },
      ],
    },
  };
}

/**
 * Restaurants on the pro plan (10,000 orders a month), so every placement pays
 * for the plan-limit gate: the subscription row lock and the month's counter
 * sum. A run places a few thousand orders in each, well under the limit.
 */
async function seed(url, count) {
  const shops = [];
  for (let i = 0; i < count; i++) {
    const { restaurantId, items, apiKey } = await createOrderingShop(url, `place${i}`, undefined, 'pro');
    shops.push({ restaurantId, items, apiKey });
  }
  return shops;
}

async function startBare(shops) {
  const port = await freePort();
  return startServer(
    [`${ROOT}scripts/bench/bare-placement.cjs`],
    {
      ...process.env,
      PORT: String(port),
      SHOPS: JSON.stringify(
        shops.map(({ restaurantId, items }) => ({
          restaurantId,
          items: items.map(({ id, name, price }) => ({ id, name, price })),
        })),
      ),
    },
    port,
    '/ready',
  );
}

const api = await startApi();
let bare;
try {
  // Each side places into restaurants of its own: the bare route's orders
  // would otherwise count against the API's plan limit (pro: 10,000 a month).
  const shops = await seed(api.url, RESTAURANTS);
  const bareShops = await seed(api.url, RESTAURANTS);
  bare = await startBare(bareShops);
  const pinned = pin(api.child.pid, 0) && pin(bare.child.pid, 0) && pin(process.pid, 1);
  console.log(
    `${CONNECTIONS} clients, ${ROUNDS} alternating rounds of ${DURATION}s (medians); ${pinned ? 'servers on core 0, load on core 1' : 'unpinned'}; MariaDB`,
  );
  for (const [label, count, target] of [
    [`${RESTAURANTS} restaurants`, RESTAURANTS, 0.5],
    ['one restaurant', 1, 0.25],
  ]) {
    const [baseline, placed] = await compare(
      [
        {
          name: `bare Fastify + mysql2, same rows, ${label}`,
          ...placing(`${bare.url}/orders`, bareShops.slice(0, count), { bare: true }),
        },
        {
          name: `API POST /api/v1/orders, ${label}`,
          ...placing(`${api.url}/api/v1/orders`, shops.slice(0, count), { bare: false }),
        },
      ],
      { rounds: ROUNDS, connections: CONNECTIONS, duration: DURATION },
    );
    report([baseline, placed]);
    if (placed.errors > 0) throw new Error(`${label}: ${placed.errors} placements through the API failed`);
    verdict(`ratio api/bare placement, ${label}`, placed.rps / baseline.rps, { atLeast: target });
  }
  verdict('API RSS after the placement load', rssMb(api.child.pid), { atMost: 250, unit: ' MB' });
} finally {
  await bare?.stop();
  await api.stop();
}
