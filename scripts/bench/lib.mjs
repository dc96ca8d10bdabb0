// Shared helpers for the benchmark scripts: start the built API on a free
// loopback port, pin processes to cores, run autocannon, print results.
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { URLSearchParams } from 'node:url';
import autocannon from 'autocannon';
import { createConnection } from 'mysql2/promise';

export const ROOT = new URL('../..', import.meta.url).pathname;
export const SYSADMIN = { email: 'bench-admin@coffee-admin.test', password: 'bench-Admin-password-1' };

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Pins a process to one core when taskset exists (server and load generator then do not compete). */
export function pin(pid, core) {
  try {
    execFileSync('taskset', ['-cp', String(core), String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The bearer token benchmarks read /metrics with (production mode closes it without one). */
export const BENCH_METRICS_TOKEN = 'bench-metrics-2b9d4f6a8c0e1f3a5b7c9d1e';

export async function waitForHttp(url, attempts = 600) {
  for (let i = 0; i < attempts; i++) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not come up`);
}

/**
 * The built API (`npm run build`), on the embedded default unless DATABASE_URL/REDIS_URL are set, with
 * the environment it got (`env`). `main` may name another checkout's build; `cwd` is where it runs (and
 * would read a `.env` from). The general and public-menu rate limits are lifted (one client on loopback
 * would hit them) unless `appLimits` keeps the application's own. Started as `node main.js`, the API
 * restarts itself with the image's heap flags (libs/runtime) unless `NODE_OPTIONS` sizes the heap, so
 * its memory figures are those of the image's command.
 */
export async function startApi(
  extraEnv = {},
  { main = join(ROOT, 'dist/apps/api/src/main.js'), cwd, appLimits = false } = {},
) {
  const port = await freePort();
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(port),
    JWT_SECRET: 'bench-only-7f3e9a1c5b2d8e4f6a0c1b3d5e7f9a2c',
    CORS_ORIGINS: 'https://admin.bench.test',
    COOKIE_SECURE: 'true',
    SYSADMIN_EMAIL: SYSADMIN.email,
    SYSADMIN_PASSWORD: SYSADMIN.password,
    ...(appLimits ? {} : { THROTTLE_LIMIT: '100000000', PUBLIC_MENU_RATE_LIMIT: '100000000' }),
    METRICS_TOKEN: BENCH_METRICS_TOKEN,
    DB_MIGRATE_ON_START: 'true',
    ...(process.env.DATABASE_URL
      ? {}
      : { SQLITE_PATH: join(mkdtempSync(join(tmpdir(), 'coffee-bench-')), 'bench.sqlite') }),
    ...extraEnv,
  };
  return { ...(await startServer([main], env, port, '/health/live', { cwd })), env };
}

/**
 * Runs `node <args>` as a server on `port` and resolves once `readyPath`
 * answers: `{ child, url, stop }`, where `stop()` sends SIGTERM and waits for
 * the exit. `options` go to `spawn` (e.g. `cwd`).
 */
export async function startServer(args, env, port, readyPath, options = {}) {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'inherit', 'inherit'], ...options });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}${readyPath}`);
  } catch (error) {
    // A server that never came up is not left behind.
    child.kill('SIGKILL');
    throw error;
  }
  return {
    child,
    url,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

export async function json(url, { method = 'GET', body, headers = {} } = {}) {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url} → ${res.status} ${text}`);
  return { res, body: text ? JSON.parse(text) : null };
}

/** The access JWT in a sign-in answer's `Set-Cookie` headers (a string or a list of them). */
export function accessTokenOf(setCookie) {
  const access = [setCookie ?? []].flat().find((c) => c.startsWith('access_token='));
  return access?.split(';')[0].slice('access_token='.length);
}

/** Signs in: `{ token, user }`, the token being the access JWT (usable as a bearer). */
export async function login(url, email, password) {
  const { res, body } = await json(`${url}/api/v1/auth/login`, { method: 'POST', body: { email, password } });
  return { token: accessTokenOf(res.headers.getSetCookie()), user: body.user };
}

/** autocannon for a fixed time (other autocannon options pass through); resolves with the summary numbers. */
export function load(url, { connections = 50, duration = 10, headers = {}, ...options } = {}) {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections, duration, headers, pipelining: 1, ...options }, (error, result) => {
      if (error) reject(error);
      else resolve({ rps: result.requests.average, p99: result.latency.p99, errors: result.errors + result.non2xx });
    });
  });
}

/**
 * Loads each target in turn, `rounds` times, alternating, and keeps each
 * target's median round: a burst of noise on a shared machine then hits both
 * sides instead of skewing the ratio.
 */
export async function compare(targets, { rounds = 3, ...options } = {}) {
  const runs = targets.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (const [i, target] of targets.entries())
      runs[i].push(await load(target.url, { ...options, ...target.options }));
  }
  const median = (values) => values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)];
  return targets.map((target, i) => ({
    name: target.name,
    rps: median(runs[i].map((r) => r.rps)),
    p99: median(runs[i].map((r) => r.p99)),
    errors: runs[i].reduce((sum, r) => sum + r.errors, 0),
    rounds: runs[i].map((r) => Math.round(r.rps)),
  }));
}

export function report(rows) {
  const width = Math.max(...rows.map((r) => r.name.length));
  for (const row of rows) {
    console.log(
      `${row.name.padEnd(width)}  ${Math.round(row.rps).toString().padStart(8)} req/s  p99 ${String(row.p99).padStart(4)} ms  errors ${row.errors}${row.rounds ? `  (rounds: ${row.rounds.join(', ')})` : ''}`,
    );
  }
}

/**
 * Prints a figure against its target (`{ atLeast }` or `{ atMost }`) with
 * PASS or MISS and, when `npm run bench` runs every case (BENCH_RESULTS names
 * a file), records it there for the summary table.
 */
export function verdict(label, value, { atLeast, atMost, unit = '' }) {
  const ok = atLeast !== undefined ? value >= atLeast : value <= atMost;
  const target = atLeast !== undefined ? `>= ${atLeast}${unit}` : `<= ${atMost}${unit}`;
  const shown = `${Number.isInteger(value) ? value : value.toFixed(2)}${unit}`;
  console.log(`${label}: ${shown} (target ${target}) ${ok ? 'PASS' : 'MISS'}`);
  if (process.env.BENCH_RESULTS)
    appendFileSync(process.env.BENCH_RESULTS, `${JSON.stringify({ label, value: shown, target, ok })}\n`);
  return ok;
}

/** A `Vm…` field of a process's /proc status in MB (Linux), NaN where it is not readable. */
function procMb(pid, field) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))?.[1] ?? NaN) / 1024;
  } catch {
    return Number.NaN;
  }
}

/** A process's resident memory in whole MB. */
export const rssMb = (pid) => Math.round(procMb(pid, 'VmRSS'));

/** A mysql2 connection to DATABASE_URL (seeding and benchmark look-ups); exits with a hint when it is not set. */
export async function connectMysql(purpose) {
  if (!process.env.DATABASE_URL) {
    console.error(`${purpose} needs MariaDB: eval "$(bash scripts/services.sh up)" && npm run migration:run first`);
    process.exit(2);
  }
  const url = new URL(process.env.DATABASE_URL);
  return createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: url.pathname.slice(1),
    timezone: 'Z',
  });
}

/** The password of every user the benchmarks create. */
export const BENCH_PASSWORD = 'bench-Owner-password-1';

/**
 * A new restaurant (enterprise plan unless told), made through the sysadmin
 * API, and its signed-in owner: `{ restaurantId, slug, token, headers }` (bearer headers).
 * `admin` is a sysadmin's `login()`, to sign in once for many restaurants.
 */
export async function createRestaurant(url, label, planCode = 'enterprise', admin = undefined) {
  admin ??= await login(url, SYSADMIN.email, SYSADMIN.password);
  const slug = `${label}-${Date.now().toString(36)}`;
  const owner = { email: `${slug}@bench.test`, name: 'Bench Owner', password: BENCH_PASSWORD };
  const { body: created } = await json(`${url}/api/v1/sysadmin/restaurants`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin.token}` },
    body: { name: 'Bench Café', slug, currency: 'USD', timezone: 'UTC', planCode, owner },
  });
  const session = await login(url, owner.email, owner.password);
  return {
    restaurantId: created.restaurant.id,
    slug,
    token: session.token,
    headers: { authorization: `Bearer ${session.token}` },
  };
}

/**
 * A restaurant (createRestaurant) with a "Coffee" category holding `menu`
 * ([name, price] pairs, 10 % tax) and an API key allowed to place orders.
 */
export async function createOrderingShop(
  url,
  label,
  menu = [
    ['Latte', 450],
    ['Cookie', 250],
  ],
  planCode = 'enterprise',
) {
  const shop = await createRestaurant(url, label, planCode);
  const post = async (path, body) =>
    (await json(`${url}${path}`, { method: 'POST', headers: shop.headers, body })).body;
  const category = await post('/api/v1/menu/categories', { name: 'Coffee' });
  const items = [];
  for (const [name, price] of menu)
    items.push(await post('/api/v1/menu/items', { categoryId: category.id, name, price, taxRateBps: 1000 }));
  const { key } = await post('/api/v1/api-keys', { name: `${label}-orders`, scopes: ['orders:write'] });
  return { ...shop, items, apiKey: key };
}

/** VmRSS / VmHWM of `pid` from /proc and the V8 heap gauges of the API's /metrics, in MB. */
export async function sampleMemory(pid, url) {
  const MB = 1024 * 1024;
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${BENCH_METRICS_TOKEN}` } });
  const text = await res.text();
  const gauge = (name) => Number(text.match(new RegExp(`^${name} (\\S+)$`, 'm'))?.[1] ?? NaN) / MB;
  return {
    rss: procMb(pid, 'VmRSS'),
    peak: procMb(pid, 'VmHWM'),
    heapUsed: gauge('nodejs_heap_size_used_bytes'),
    heapTotal: gauge('nodejs_heap_size_total_bytes'),
    external: gauge('nodejs_external_memory_bytes'),
  };
}

/** Every order id of the caller's restaurant, newest first, through meta.nextCursor. */
export async function listAllOrders(url, headers) {
  const ids = new Set();
  let cursor = null;
  do {
    const query = new URLSearchParams({ limit: '100', ...(cursor && { cursor }) });
    const { body } = await json(`${url}/api/v1/orders?${query}`, { headers });
    for (const order of body.items) ids.add(order.id);
    cursor = body.meta.nextCursor;
  } while (cursor);
  return ids;
}

/** The 1, 5 and 15 minute load averages, for the record next to a figure. */
export const loadAverage = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
