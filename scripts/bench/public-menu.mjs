// npm run bench -- public-menu
// The cached public menu next to a bare Fastify route that returns the same
// menu as a pre-serialized string, in the same run, on the same machine.
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  compare,
  createRestaurant,
  freePort,
  json,
  load,
  pin,
  report,
  startApi,
  startServer,
  verdict,
} from './lib.mjs';

const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

const mode = `${process.env.DATABASE_URL ? 'MariaDB' : 'embedded SQLite'}${process.env.REDIS_URL ? ' + Redis' : ', no Redis'}`;

export async function seedMenu(url) {
  const { slug, headers } = await createRestaurant(url, 'bench');
  for (let c = 0; c < 4; c++) {
    const { body: category } = await json(`${url}/api/v1/menu/categories`, {
      method: 'POST',
      headers,
      body: { name: `Category ${c}`, position: c },
    });
    for (let i = 0; i < 6; i++) {
      await json(`${url}/api/v1/menu/items`, {
        method: 'POST',
        headers,
        body: {
          categoryId: category.id,
          name: `Drink ${c}-${i}`,
          description: 'Single-origin espresso with steamed milk',
          price: 300 + i * 25,
          taxRateBps: 1900,
          position: i,
          modifierGroups: [
            {
              name: 'Milk',
              minSelect: 0,
              maxSelect: 1,
              options: [
                { name: 'Oat', priceDelta: 60 },
                { name: 'Almond', priceDelta: 60 },
              ],
            },
          ],
        },
      });
    }
  }
  return `${url}/api/v1/public/restaurants/${slug}/menu`;
}

async function startBare(body) {
  const dir = mkdtempSync(join(tmpdir(), 'coffee-bare-'));
  writeFileSync(join(dir, 'menu.json'), body);
  const port = await freePort();
  const source = `
    const fastify = require(${JSON.stringify(join(process.cwd(), 'node_modules/fastify'))})();
    const body = require('node:fs').readFileSync(${JSON.stringify(join(dir, 'menu.json'))}, 'utf8');
    fastify.get('/menu', (req, reply) => { reply.header('content-type', 'application/json; charset=utf-8').send(body); });
    fastify.listen({ port: ${port}, host: '127.0.0.1' });`;
  const server = await startServer(['-e', source], process.env, port, '/menu');
  return { ...server, url: `${server.url}/menu` };
}

if (process.argv[1]?.endsWith('run.mjs') || process.argv[1]?.endsWith('public-menu.mjs')) await main();

async function main() {
  const api = await startApi();
  let bare;
  try {
    const menuUrl = await seedMenu(api.url);
    const menu = await (await fetch(menuUrl)).text();
    bare = await startBare(menu);
    const pinned = pin(api.child.pid, 0) && pin(bare.child.pid, 0) && pin(process.pid, 1);
    console.log(
      `public menu: ${menu.length} bytes; ${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${DURATION}s (medians); ${pinned ? 'servers on core 0, load on core 1' : 'no taskset: unpinned'}`,
    );
    console.log(`mode: ${mode}`);
    await load(menuUrl, { connections: CONNECTIONS, duration: 2 }); // warm up
    await load(bare.url, { connections: CONNECTIONS, duration: 2 });
    const [baseline, cached] = await compare(
      [
        { name: 'bare Fastify, pre-serialized', url: bare.url },
        { name: 'API public menu (cached)', url: menuUrl },
      ],
      { rounds: ROUNDS, connections: CONNECTIONS, duration: DURATION },
    );
    report([baseline, cached]);
    verdict(`ratio cached public menu/bare Fastify (${mode})`, cached.rps / baseline.rps, { atLeast: 0.8 });
  } finally {
    await bare?.stop();
    await api.stop();
  }
}
