// npm run bench -- cpu-per-request <public-menu|orders-list> [requests]
// Load-independent companion of public-menu and orders-list: the server's own
// CPU time (utime + stime from /proc/<pid>/stat) per request, for the API route
// and for the bare Fastify baseline of the same benchmark, each under a fixed
// number of requests. On a shared machine a throughput ratio moves with the
// neighbours' load; CPU time per request barely does, and bare/API CPU per
// request approximates the throughput ratio on a pinned core.
// orders-list needs MariaDB + Redis (DATABASE_URL, REDIS_URL), as its benchmark does.
// BENCH_API_MAIN names another build's main.js (e.g. a checkout of main) to compare builds.
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { createRestaurant, freePort, json, ROOT, startApi, startServer } from './lib.mjs';

// Run directly or through run.mjs (whose own first argument is this case's name).
const [target = 'public-menu', requestsArg] = process.argv.slice(2).filter((arg) => arg !== 'cpu-per-request');
const REQUESTS = Number(requestsArg ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const JWT_SECRET = 'bench-only-7f3e9a1c5b2d8e4f6a0c1b3d5e7f9a2c';
const TICK_US = 1e6 / 100; // USER_HZ is 100 on Linux

/** utime + stime of `pid`, in microseconds. */
function cpuMicros(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_US;
}

function fire(url, amount, headers = {}, connections = 16) {
  return new Promise((resolve, reject) => {
    autocannon({ url, amount, connections, headers, pipelining: 1 }, (error, result) => {
      if (error) reject(error);
      else if (result.non2xx + result.errors > 0)
        reject(new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`));
      else resolve(result);
    });
  });
}

/** CPU µs per request of `pid` answering REQUESTS requests to `url`. */
async function measure(pid, url, headers) {
  const before = cpuMicros(pid);
  await fire(url, REQUESTS, headers);
  return (cpuMicros(pid) - before) / REQUESTS;
}

/**
 * Each target's median CPU µs per request over ROUNDS rounds, the targets
 * alternating round by round (a burst of load elsewhere then touches both).
 */
async function compareCpu(targets, headers) {
  for (const { url } of targets) await fire(url, Math.min(5000, REQUESTS), headers); // warm up (JIT)
  const runs = targets.map(() => []);
  for (let round = 0; round < ROUNDS; round++)
    for (const [i, { pid, url }] of targets.entries()) runs[i].push(await measure(pid, url, headers));
  const median = (values) => values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)];
  return runs.map((values) => ({ median: median(values), values }));
}

async function menuTargets(api) {
  const { seedMenu } = await import('./public-menu.mjs');
  const menuUrl = await seedMenu(api.url);
  const body = await (await fetch(menuUrl)).text();
  const port = await freePort();
  const { writeFileSync, mkdtempSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const file = join(mkdtempSync(join(tmpdir(), 'coffee-bare-')), 'menu.json');
  writeFileSync(file, body);
  const source = `
    const fastify = require(${JSON.stringify(join(ROOT, 'node_modules/fastify'))})();
    const body = require('node:fs').readFileSync(${JSON.stringify(file)}, 'utf8');
    fastify.get('/menu', (req, reply) => { reply.header('content-type', 'application/json; charset=utf-8').send(body); });
    fastify.listen({ port: ${port}, host: '127.0.0.1' });`;
  const bare = await startServer(['-e', source], process.env, port, '/menu');
  return { bare, apiUrl: menuUrl, bareUrl: `${bare.url}/menu`, headers: {} };
}

async function ordersTargets(api) {
  const { headers, token } = await createRestaurant(api.url, 'cpu');
  const post = async (path, body, extra = {}) =>
    (await json(`${api.url}${path}`, { method: 'POST', headers: { ...headers, ...extra }, body })).body;
  const category = await post('/api/v1/menu/categories', { name: 'Coffee' });
  const item = await post('/api/v1/menu/items', {
    categoryId: category.id,
    name: 'Latte',
    price: 450,
    taxRateBps: 1000,
  });
  for (let i = 0; i < 40; i++)
    await post(
      '/api/v1/orders',
      { type: 'takeaway', items: [{ menuItemId: item.id, quantity: 1 + (i % 3) }] },
      { 'idempotency-key': randomUUID() },
    );
  const port = await freePort();
  const bare = await startServer(
    [`${ROOT}scripts/bench/bare-orders-list.cjs`],
    { ...process.env, PORT: String(port), JWT_SECRET },
    port,
    '/ready',
  );
  return {
    bare,
    apiUrl: `${api.url}/api/v1/orders?limit=20`,
    bareUrl: `${bare.url}/orders?limit=20`,
    headers: { authorization: `Bearer ${token}` },
  };
}

if (!['public-menu', 'orders-list'].includes(target)) {
  console.error('usage: npm run bench -- cpu-per-request <public-menu|orders-list> [requests]');
  process.exit(2);
}
if (target === 'orders-list' && !process.env.DATABASE_URL) {
  console.error('orders-list needs MariaDB: eval "$(bash scripts/services.sh up)" first');
  process.exit(2);
}
const api = await startApi({ JWT_SECRET }, process.env.BENCH_API_MAIN ? { main: process.env.BENCH_API_MAIN } : {});
let bare;
try {
  const targets = await (target === 'public-menu' ? menuTargets(api) : ordersTargets(api));
  bare = targets.bare;
  const [apiCpu, bareCpu] = await compareCpu(
    [
      { pid: api.child.pid, url: targets.apiUrl },
      { pid: bare.child.pid, url: targets.bareUrl },
    ],
    targets.headers,
  );
  const shown = ({ values }) => values.map((value) => value.toFixed(0)).join(', ');
  console.log(
    `${target}: API ${apiCpu.median.toFixed(1)} µs CPU/request (${shown(apiCpu)}), ` +
      `bare ${bareCpu.median.toFixed(1)} µs CPU/request (${shown(bareCpu)}), ` +
      `bare/API ${(bareCpu.median / apiCpu.median).toFixed(2)} (${REQUESTS} requests x ${ROUNDS} rounds, medians)`,
  );
} finally {
  await bare?.stop();
  await api.stop();
}
