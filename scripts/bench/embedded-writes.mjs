// npm run bench -- embedded-writes [--server <checkout>] [--write order|category] [--seconds 10] [--warmup 2]
//                                   [--clients 4,32] [--sizes 5,50] [--rounds 1]
// Acknowledged writes/s on the embedded default (no DATABASE_URL, DB_HOST or REDIS_URL; SQLITE_PATH a temp
// file): writes answered 201 (order placements by default) at each client count on a database file of each
// size (MB). Every cell starts a fresh server on a fresh copy of a prepared file. The files are
// grown with filler orders while no server runs, through node:sqlite: the bench relies only on HTTP and on the
// SQLite file format, so it measures any embedded engine. `--server` (or BENCH_SERVER) names another checkout
// whose build (dist/) is measured instead of this one, so "before" and "after" run from one script.
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { clearInterval, setInterval } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import { dirname, join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { createOrderingShop, json, pin, ROOT, startApi } from './lib.mjs';

const { values: args } = parseArgs({
  args: process.argv.slice(3),
  options: {
    server: { type: 'string', default: process.env.BENCH_SERVER ?? ROOT },
    seconds: { type: 'string', default: process.env.BENCH_SECONDS ?? '10' },
    warmup: { type: 'string', default: process.env.BENCH_WARMUP_SECONDS ?? '2' },
    clients: { type: 'string', default: process.env.BENCH_CLIENTS ?? '4,32' },
    sizes: { type: 'string', default: process.env.BENCH_SIZES_MB ?? '5,50' },
    write: { type: 'string', default: process.env.BENCH_WRITE ?? 'order' },
    rounds: { type: 'string', default: process.env.BENCH_ROUNDS ?? '1' },
  },
});
const SECONDS = Number(args.seconds);
const WARMUP = Number(args.warmup);
const CLIENTS = args.clients.split(',').map(Number);
const SIZES_MB = args.sizes.split(',').map(Number);
const ROUNDS = Number(args.rounds);
const MAIN = [join(args.server, 'dist/apps/api/src/main.js'), join(args.server, 'apps/api/src/main.js')]
  .map((path) => resolve(path))
  .find((path) => existsSync(path));
if (!MAIN) {
  console.error(`no built API under ${args.server} (run npm run build there)`);
  process.exit(2);
}

/**
 * The writes a client repeats, each answered 201. `table` holds one row per write; `seeded` rows of the bench
 * restaurant are there before the load.
 */
const WRITES = {
  // One transaction: the idempotency key, the daily number, the order, its lines, its first history entry and
  // the stored answer.
  order: {
    path: '/api/v1/orders',
    table: 'orders',
    seeded: 0,
    requestOptions: ({ apiKeyHeaders, order }) => ({
      headers: apiKeyHeaders,
      body: JSON.stringify(order),
      unique: (request) => ({ ...request, headers: { ...request.headers, 'idempotency-key': randomUUID() } }),
    }),
  },
  // One row, by the owner's session.
  category: {
    path: '/api/v1/menu/categories',
    table: 'menu_categories',
    seeded: 1,
    requestOptions: ({ ownerHeaders }) => ({
      headers: ownerHeaders,
      unique: (request) => ({ ...request, body: JSON.stringify({ name: `Category ${randomUUID()}` }) }),
    }),
  },
};
const WRITE = Object.hasOwn(WRITES, args.write) ? WRITES[args.write] : undefined;
if (!WRITE) {
  console.error(`--write is one of ${Object.keys(WRITES).join(', ')}`);
  process.exit(2);
}

const MB = 1024 * 1024;
/** A busy café's day; filler orders are spread over past days at this rate. */
const ORDERS_PER_DAY = 300;
/** Idempotency keys live 48 h, so only the last days' orders still have theirs. */
const DAYS_WITH_KEYS = 2;

const sizeOf = (path) => (existsSync(path) ? statSync(path).size : 0);
const megabytes = (bytes) => (bytes / MB).toFixed(1);

/**
 * The built API on the embedded engine with its database at `path`. It runs in the file's directory so that no
 * `.env` of a checkout can point it at MariaDB or Redis.
 */
function startEmbedded(path) {
  return startApi(
    { DATABASE_URL: undefined, DB_HOST: undefined, REDIS_URL: undefined, SQLITE_PATH: path },
    { main: MAIN, cwd: dirname(path) },
  );
}

/** A restaurant with two menu items and an API key allowed to place orders. */
async function seedRestaurant(url, label) {
  const { restaurantId, headers, items, apiKey: key } = await createOrderingShop(url, label);
  const [latte, cookie] = items;
  return {
    restaurantId,
    ownerHeaders: { 'content-type': 'application/json', ...headers },
    apiKeyHeaders: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    order: {
      type: 'takeaway',
      items: [
        { menuItemId: latte.id, quantity: 2 },
        { menuItemId: cookie.id, quantity: 1 },
      ],
    },
  };
}

/** Resolves once the database file and its -wal have not changed for `quietMs`. */
async function settled(path, quietMs = 1000) {
  const state = () => [path, `${path}-wal`].map((file) => (existsSync(file) ? statSync(file).mtimeMs : 0)).join();
  let last = state();
  for (let since = Date.now(); Date.now() - since < quietMs;) {
    await sleep(100);
    if (state() !== last) [last, since] = [state(), Date.now()];
  }
}

/** Rows of `restaurantId` in `table` of the file a stopped server left, or null when the file cannot be read. */
function rowsInFile(path, table, restaurantId) {
  try {
    const db = new DatabaseSync(path);
    try {
      return db.prepare(`SELECT count(*) AS n FROM "${table}" WHERE restaurant_id = ?`).get(restaurantId).n;
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}

/** An empty database made by the server itself (migrations, sysadmin), with one order placed through the API. */
async function prepareTemplate(dir) {
  const path = join(dir, 'template.sqlite');
  const api = await startEmbedded(path);
  let filler;
  try {
    filler = await seedRestaurant(api.url, 'filler');
    await json(`${api.url}/api/v1/orders`, {
      method: 'POST',
      headers: { ...filler.apiKeyHeaders, 'idempotency-key': randomUUID() },
      body: filler.order,
    });
    // A server that saves on a timer may be stopped in the middle of a save (sql.js with a debounced save then
    // leaves a truncated file), so the template is taken once the file has settled.
    await settled(path);
  } finally {
    await api.stop();
  }
  if (rowsInFile(path, 'orders', filler.restaurantId) !== 1)
    throw new Error(`the stopped server left no usable ${path}`);
  return path;
}

const SQLITE_DATETIME = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,3})?$/;
const parseDatetime = (value) => (SQLITE_DATETIME.test(value) ? Date.parse(`${value.replace(' ', 'T')}Z`) : NaN);

/** `value` (a SQLite datetime text such as `2025-01-31 09:15:00.123`) moved by `ms`, in the same format. */
function shiftDatetime(value, ms) {
  const at = parseDatetime(value) + ms;
  if (!Number.isFinite(at)) return value;
  return new Date(at).toISOString().slice(0, value.length).replace('T', value[10]);
}

/**
 * Copies the template order (its lines, history, counter and, for recent days, its idempotency key) into past
 * days of the filler restaurant until the file reaches `targetBytes`. Copying rows the API wrote keeps every
 * column, NOT NULL constraint and foreign key valid whatever the schema version.
 */
function fill(path, targetBytes) {
  const db = new DatabaseSync(path);
  const one = (sql, ...params) => db.prepare(sql).get(...params);
  const order = one('SELECT * FROM orders LIMIT 1');
  const lines = db.prepare('SELECT * FROM order_lines WHERE order_id = ?').all(order.id);
  const history = db.prepare('SELECT * FROM order_status_history WHERE order_id = ?').all(order.id);
  const counter = one('SELECT * FROM order_counters WHERE restaurant_id = ?', order.restaurant_id);
  const key = one('SELECT * FROM idempotency_keys WHERE restaurant_id = ?', order.restaurant_id);
  const inserts = new Map();
  const insert = (table, row) => {
    const columns = Object.keys(row);
    if (!inserts.has(table)) {
      const names = columns.map((column) => `"${column}"`).join(', ');
      inserts.set(table, db.prepare(`INSERT INTO "${table}" (${names}) VALUES (${columns.map(() => '?').join(', ')})`));
    }
    inserts.get(table).run(...Object.values(row));
  };
  const dated = (row, ms) => ({
    ...row,
    id: randomUUID(),
    created_at: shiftDatetime(row.created_at, ms),
    updated_at: shiftDatetime(row.updated_at, ms),
  });
  const pageSize = one('PRAGMA page_size').page_size;
  const fileBytes = () => one('PRAGMA page_count').page_count * pageSize;
  const today = Date.parse(`${order.business_date}T00:00:00Z`);
  const placedAt = parseDatetime(order.created_at);
  // The template's own day keeps only the template order, so its counter stays right.
  for (let day = 1; fileBytes() < targetBytes; day++) {
    const opening = today - day * 86_400_000 + 7 * 3_600_000;
    const businessDate = new Date(opening).toISOString().slice(0, 10);
    db.exec('BEGIN');
    for (let number = 1; number <= ORDERS_PER_DAY; number++) {
      // One order every two minutes from 07:00 (UTC, the template restaurant's time zone).
      const ms = opening + number * 120_000 - placedAt;
      const orderId = randomUUID();
      insert('orders', { ...dated(order, ms), id: orderId, number, business_date: businessDate });
      for (const line of lines) insert('order_lines', { ...dated(line, ms), order_id: orderId });
      for (const entry of history) insert('order_status_history', { ...dated(entry, ms), order_id: orderId });
      if (day <= DAYS_WITH_KEYS) insert('idempotency_keys', { ...dated(key, ms), idem_key: randomUUID() });
    }
    insert('order_counters', { ...counter, business_date: businessDate, last_number: ORDERS_PER_DAY });
    db.exec('COMMIT');
  }
  db.close();
}

/** One autocannon run of the write, each request made unique (a new key or name). */
function load(url, write, connections, duration) {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `${url}${WRITE.path}`,
        method: 'POST',
        connections,
        duration,
        pipelining: 1,
        headers: write.headers,
        body: write.body,
        requests: [{ setupRequest: write.unique }],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

/** A fresh server on a fresh copy of `prepared`, loaded by `clients` clients. */
async function measure(prepared, clients) {
  const dir = mkdtempSync(join(tmpdir(), 'coffee-bench-writes-'));
  const path = join(dir, 'coffee.sqlite');
  copyFileSync(prepared, path);
  const api = await startEmbedded(path);
  let seeded, warmup, result;
  let walPeak = 0;
  const pinned = pin(api.child.pid, 0) && pin(process.pid, 1);
  try {
    seeded = await seedRestaurant(api.url, 'writes');
    const write = WRITE.requestOptions(seeded);
    warmup = await load(api.url, write, clients, WARMUP);
    // A WAL engine keeps recent writes beside the file: its size is part of the database's footprint.
    const sampler = setInterval(() => (walPeak = Math.max(walPeak, sizeOf(`${path}-wal`))), 250);
    result = await load(api.url, write, clients, SECONDS);
    clearInterval(sampler);
  } finally {
    // Stopped right after the load, as a deploy would: what the file then holds is what a restart finds.
    await api.stop();
  }
  const file = sizeOf(path) + sizeOf(`${path}-wal`);
  const acknowledged = warmup['2xx'] + result['2xx'];
  const rows = rowsInFile(path, WRITE.table, seeded.restaurantId);
  rmSync(dir, { recursive: true, force: true });
  return {
    writes: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    // Requests cut off by the end of the load may have committed too, so more may be kept than acknowledged.
    lost: rows === null ? 'unreadable' : Math.max(0, acknowledged - (rows - WRITE.seeded)),
    file,
    walPeak,
    pinned,
  };
}

const work = mkdtempSync(join(tmpdir(), 'coffee-bench-embedded-'));
try {
  const template = await prepareTemplate(work);
  const prepared = SIZES_MB.map((mb) => {
    const path = join(work, `${mb}mb.sqlite`);
    copyFileSync(template, path);
    fill(path, mb * MB);
    return { mb, path, bytes: sizeOf(path) };
  });
  console.log(`server: ${MAIN}`);
  console.log(
    `${args.write} writes (POST ${WRITE.path}, 201), ${WARMUP}s warm-up then ${SECONDS}s per cell, ${ROUNDS} round(s)`,
  );
  const cells = SIZES_MB.flatMap((mb, i) => CLIENTS.map((clients) => ({ ...prepared[i], clients, runs: [] })));
  // Rounds go over the whole matrix in turn, so a burst of noise on a shared machine spreads over the cells.
  for (let round = 1; round <= ROUNDS; round++) {
    for (const cell of cells) {
      cell.runs.push(await measure(cell.path, cell.clients));
      const { writes } = cell.runs.at(-1);
      console.error(`round ${round}: ${cell.mb} MB, ${cell.clients} clients: ${Math.round(writes)} writes/s`);
    }
  }
  const columns = ['db', 'start MB', 'clients', 'writes/s', 'p50 ms', 'p99 ms', 'errors', 'lost at stop', 'end MB'];
  console.log([...columns, 'wal peak MB', 'rounds (writes/s)'].join('\t'));
  for (const { mb, bytes, clients, runs } of cells) {
    // The round of median throughput stands for the cell; errors and losses of every round are shown.
    const median = runs.toSorted((a, b) => a.writes - b.writes)[Math.floor(runs.length / 2)];
    const errors = runs.reduce((sum, run) => sum + run.errors, 0);
    const row = [`${mb} MB`, megabytes(bytes), clients, Math.round(median.writes), median.p50, median.p99, errors];
    const end = megabytes(Math.max(...runs.map((run) => run.file)));
    const walPeak = megabytes(Math.max(...runs.map((run) => run.walPeak)));
    const rounds = runs.map((run) => Math.round(run.writes)).join(', ');
    console.log([...row, runs.map((run) => run.lost).join(', '), end, walPeak, rounds].join('\t'));
  }
  const pinned = cells.every((cell) => cell.runs.every((run) => run.pinned));
  console.log(pinned ? 'server on core 0, load on core 1' : 'unpinned (no taskset)');
} finally {
  rmSync(work, { recursive: true, force: true });
}
