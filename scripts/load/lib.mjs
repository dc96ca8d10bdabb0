// The pieces of the load scenarios (scripts/load/run.mjs): scenario files, the
// seeded restaurants, the request mix, per-endpoint statistics and thresholds.
import { randomInt, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import {
  accessTokenOf,
  BENCH_PASSWORD,
  createRestaurant,
  json,
  listAllOrders,
  login,
  SYSADMIN,
} from '../bench/lib.mjs';

/** The request kinds of the mix, in report order: what a scenario's `mix` and `thresholds` name. */
export const ENDPOINTS = {
  menu: 'GET  /public/restaurants/:slug/menu',
  login: 'POST /auth/login',
  place: 'POST /orders',
  status: 'POST /orders/:id/status',
  kitchen: 'GET  /orders/kitchen',
  list: 'GET  /orders',
  dashboard: 'GET  /reports/dashboard',
};
/** Kinds a scenario's `mix` may run; `kitchen` is what `status` sends when no order is waiting for a change. */
const MIX_KINDS = ['menu', 'login', 'place', 'status', 'list', 'dashboard'];
const THRESHOLD_KEYS = ['maxErrorRate', 'maxP95Ms', 'maxP99Ms', 'minRps'];

// ---------------------------------------------------------------------------
// Scenario files

/** Reads and checks a scenario file (scripts/load/scenarios/<name>.json); throws on anything it does not know. */
export function readScenario(path) {
  const scenario = JSON.parse(readFileSync(path, 'utf8'));
  const fail = (message) => {
    throw new Error(`${path}: ${message}`);
  };
  const positive = (value, what) => {
    if (!(typeof value === 'number' && value > 0)) fail(`${what} must be a positive number`);
  };
  for (const field of ['restaurants', 'staffPerRestaurant', 'clientIps', 'maxRequestsPerSecond'])
    if (!Number.isInteger(scenario[field]) || scenario[field] < 1) fail(`${field} must be a positive whole number`);
  if (scenario.sampleSeconds !== undefined) positive(scenario.sampleSeconds, 'sampleSeconds');
  if (scenario.memory !== undefined) positive(scenario.memory.maxRssMb, 'memory.maxRssMb');
  if (scenario.apiNodeOptions !== undefined && typeof scenario.apiNodeOptions !== 'string')
    fail('apiNodeOptions must be a string of Node flags');
  const mix = Object.entries(scenario.mix ?? {});
  if (mix.length === 0) fail('mix names no endpoint');
  for (const [kind, spec] of mix) {
    if (!MIX_KINDS.includes(kind)) fail(`mix.${kind}: not one of ${MIX_KINDS.join(', ')}`);
    if (!Number.isInteger(spec.connections) || spec.connections < 1)
      fail(`mix.${kind}.connections: a whole number ≥ 1`);
    if (spec.rate !== null && spec.rate !== undefined) positive(spec.rate, `mix.${kind}.rate`);
  }
  if (!Array.isArray(scenario.stages) || scenario.stages.length === 0) fail('stages is empty');
  for (const [i, stage] of scenario.stages.entries()) {
    if (typeof stage.name !== 'string') fail(`stages[${i}].name is missing`);
    positive(stage.seconds, `stages[${i}].seconds`);
    if (stage.scale !== undefined) positive(stage.scale, `stages[${i}].scale`);
    checkThresholds(stage.thresholds ?? {}, `stages[${i}].thresholds`, fail);
  }
  checkThresholds(scenario.thresholds ?? {}, 'thresholds', fail);
  return scenario;
}

function checkThresholds(thresholds, where, fail) {
  for (const [kind, limits] of Object.entries(thresholds)) {
    if (!(kind in ENDPOINTS)) fail(`${where}.${kind}: not one of ${Object.keys(ENDPOINTS).join(', ')}`);
    for (const [key, value] of Object.entries(limits)) {
      if (!THRESHOLD_KEYS.includes(key)) fail(`${where}.${kind}.${key}: not one of ${THRESHOLD_KEYS.join(', ')}`);
      if (typeof value !== 'number' || value < 0) fail(`${where}.${kind}.${key} must be a number ≥ 0`);
    }
  }
}

// ---------------------------------------------------------------------------
// Seeding: restaurants with a menu, tables, a crew and an API key, all through the API

const MENU = [
  ['Coffee', 'Latte', 450, ['milk', 'size']],
  ['Coffee', 'Cappuccino', 420, ['size']],
  ['Coffee', 'Espresso', 300, []],
  ['Bakery', 'Cookie', 250, []],
  ['Bakery', 'Croissant', 320, []],
  ['Bakery', 'Muffin', 380, []],
];
const GROUPS = {
  milk: {
    name: 'Milk',
    minSelect: 0,
    maxSelect: 1,
    options: [
      { name: 'Oat', priceDelta: 60 },
      { name: 'Almond', priceDelta: 70 },
    ],
  },
  size: {
    name: 'Size',
    minSelect: 1,
    maxSelect: 1,
    options: [
      { name: 'Small', priceDelta: 0 },
      { name: 'Large', priceDelta: 100 },
    ],
  },
};

/** Runs `task(i)` for i in 0..count-1, at most `parallel` at a time; resolves with the results in order. */
async function inParallel(count, parallel, task) {
  const results = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
  return results;
}

/**
 * `count` restaurants on the enterprise plan (no plan limit applies), each with
 * six menu items in two categories (modifier groups on two), four tables, a
 * manager and `staff` staff members (all signed in), and an API key for orders.
 */
export async function seedRestaurants(url, { count, staff }) {
  const admin = await login(url, SYSADMIN.email, SYSADMIN.password);
  return inParallel(count, 8, (index) => seedShop(url, index, admin, staff));
}

async function seedShop(url, index, admin, staffCount) {
  const created = await createRestaurant(url, `load-${index}`, 'enterprise', admin);
  const post = async (path, body) =>
    (await json(`${url}${path}`, { method: 'POST', headers: created.headers, body })).body;
  const categories = {};
  for (const name of new Set(MENU.map(([category]) => category)))
    categories[name] = (await post('/api/v1/menu/categories', { name })).id;
  const items = [];
  for (const [category, name, price, groups] of MENU) {
    const item = await post('/api/v1/menu/items', {
      categoryId: categories[category],
      name,
      price,
      taxRateBps: 1000,
      modifierGroups: groups.map((group) => GROUPS[group]),
    });
    items.push({
      id: item.id,
      groups: item.modifierGroups.map((g) => ({
        min: g.minSelect,
        max: g.maxSelect,
        options: g.options.map((o) => o.id),
      })),
    });
  }
  const tables = [];
  for (let t = 1; t <= 4; t++) tables.push((await post('/api/v1/tables', { label: `T${t}`, seats: 4 })).id);
  const { key } = await post('/api/v1/api-keys', { name: 'load-orders', scopes: ['orders:read', 'orders:write'] });

  const owner = { email: `${created.slug}@bench.test`, role: 'owner', token: created.token };
  const crew = [
    { email: `${created.slug}-manager@bench.test`, role: 'manager' },
    ...Array.from({ length: staffCount }, (_, s) => ({
      email: `${created.slug}-staff${s + 1}@bench.test`,
      role: 'staff',
    })),
  ];
  for (const user of crew) {
    await post('/api/v1/users', {
      email: user.email,
      name: `Load ${user.role}`,
      role: user.role,
      password: BENCH_PASSWORD,
    });
    user.token = (await login(url, user.email, BENCH_PASSWORD)).token;
  }
  const users = [owner, ...crew];
  return {
    index,
    slug: created.slug,
    // Each restaurant's crew sits behind one address of its own (the till's network).
    ip: `10.20.${Math.floor(index / 250)}.${(index % 250) + 1}`,
    apiKey: key,
    items,
    tables,
    users,
    owner,
    staff: users.filter((u) => u.role === 'staff'),
    managers: users.filter((u) => u.role === 'owner' || u.role === 'manager'),
    /** Orders placed here that are waiting for their next status change, oldest first. */
    open: [],
    /** Ids of every order placed here that was answered 201. */
    placed: [],
  };
}

// ---------------------------------------------------------------------------
// Statistics

/** Latencies in 0.1 ms steps up to 100 ms, then 1 ms steps up to 60 s (autocannon gives up after 10 s). */
export class Histogram {
  counts = new Uint32Array(1000 + 60_000);
  total = 0;
  max = 0;

  record(ms) {
    const i = ms < 100 ? Math.floor(ms * 10) : Math.min(1000 + Math.floor(ms - 100), this.counts.length - 1);
    this.counts[i]++;
    this.total++;
    if (ms > this.max) this.max = ms;
  }

  merge(other) {
    for (let i = 0; i < other.counts.length; i++) this.counts[i] += other.counts[i];
    this.total += other.total;
    this.max = Math.max(this.max, other.max);
  }

  /** The `p`th percentile, as the upper edge of its step (never above the largest value seen). */
  percentile(p) {
    if (this.total === 0) return NaN;
    const rank = Math.ceil((this.total * p) / 100);
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i];
      if (seen >= rank) return Math.min(i < 1000 ? (i + 1) / 10 : i - 899, this.max);
    }
    return this.max;
  }
}

/** One endpoint's answers over some seconds: latencies, status codes, socket errors and time-outs. */
export class EndpointStats {
  histogram = new Histogram();
  statuses = new Map();
  socketErrors = 0;
  seconds = 0;

  record(status, ms) {
    this.histogram.record(ms);
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
  }

  merge(other) {
    this.histogram.merge(other.histogram);
    for (const [status, n] of other.statuses) this.statuses.set(status, (this.statuses.get(status) ?? 0) + n);
    this.socketErrors += other.socketErrors;
    this.seconds += other.seconds;
  }

  get responses() {
    return this.histogram.total;
  }

  count(predicate) {
    let n = 0;
    for (const [status, count] of this.statuses) if (predicate(status)) n += count;
    return n;
  }

  /** Answers outside 2xx, plus requests that got no answer. */
  get errors() {
    return this.count((s) => s < 200 || s > 299) + this.socketErrors;
  }

  get serverErrors() {
    return this.count((s) => s >= 500);
  }

  get errorRate() {
    const attempts = this.responses + this.socketErrors;
    return attempts === 0 ? 0 : this.errors / attempts;
  }

  get rps() {
    return this.seconds > 0 ? this.responses / this.seconds : 0;
  }
}

/** Per-kind statistics of one stage (or of several, merged). */
export class StageStats {
  byKind = new Map();

  of(kind) {
    if (!this.byKind.has(kind)) this.byKind.set(kind, new EndpointStats());
    return this.byKind.get(kind);
  }

  /** Every kind of the mix gets the stage's wall-clock seconds, the fallback kinds too. */
  setSeconds(seconds) {
    for (const kind of Object.keys(ENDPOINTS)) this.of(kind).seconds = seconds;
  }

  merge(other) {
    for (const [kind, stats] of other.byKind) this.of(kind).merge(stats);
  }
}

const ms = (value) => (Number.isNaN(value) ? '-' : value < 10 ? value.toFixed(1) : String(Math.round(value)));

/** The per-endpoint table: throughput, p50/p95/p99/max, requests, error rate and the non-2xx codes. */
export function printStats(stats) {
  const rows = Object.entries(ENDPOINTS)
    .filter(([kind]) => stats.byKind.has(kind) && stats.of(kind).responses + stats.of(kind).socketErrors > 0)
    .map(([kind, label]) => {
      const s = stats.of(kind);
      const other = [...s.statuses]
        .filter(([status]) => status < 200 || status > 299)
        .toSorted(([a], [b]) => a - b)
        .map(([status, n]) => `${status}×${n}`);
      if (s.socketErrors > 0) other.push(`no answer×${s.socketErrors}`);
      return [
        `${kind.padEnd(9)} ${label}`,
        s.rps.toFixed(1),
        ms(s.histogram.percentile(50)),
        ms(s.histogram.percentile(95)),
        ms(s.histogram.percentile(99)),
        ms(s.histogram.max),
        String(s.responses),
        `${(s.errorRate * 100).toFixed(2)} %`,
        other.join(' '),
      ];
    });
  const header = ['endpoint', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'requests', 'errors', 'non-2xx'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) =>
    cells
      .map((cell, i) => (i === 0 || i === cells.length - 1 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

/**
 * What breaks the scenario's thresholds (`{ kind: { maxErrorRate, maxP95Ms, maxP99Ms, minRps } }`) in
 * `stats`, plus the rule every scenario has: no 5xx anywhere. Returns a reason per failure.
 */
export function thresholdFailures(stats, thresholds = {}, where = '') {
  const failures = [];
  for (const [kind, s] of stats.byKind) {
    if (s.serverErrors > 0) failures.push(`${where}${kind}: ${s.serverErrors} answers 5xx (must be 0)`);
  }
  for (const [kind, limits] of Object.entries(thresholds)) {
    const s = stats.of(kind);
    const p95 = s.histogram.percentile(95);
    const p99 = s.histogram.percentile(99);
    const check = (broken, text) => broken && failures.push(`${where}${kind}: ${text}`);
    if (limits.maxErrorRate !== undefined)
      check(
        s.errorRate > limits.maxErrorRate,
        `error rate ${(s.errorRate * 100).toFixed(2)} % > ${(limits.maxErrorRate * 100).toFixed(2)} %`,
      );
    if (limits.maxP95Ms !== undefined) check(!(p95 <= limits.maxP95Ms), `p95 ${ms(p95)} ms > ${limits.maxP95Ms} ms`);
    if (limits.maxP99Ms !== undefined) check(!(p99 <= limits.maxP99Ms), `p99 ${ms(p99)} ms > ${limits.maxP99Ms} ms`);
    if (limits.minRps !== undefined)
      check(s.rps < limits.minRps, `throughput ${s.rps.toFixed(1)} req/s < ${limits.minRps} req/s`);
  }
  return failures;
}

// ---------------------------------------------------------------------------
// The request mix

const pick = (list) => list[randomInt(list.length)];
const NEXT_STATUS = {
  takeaway: { pending: 'preparing', preparing: 'ready', ready: 'paid' },
  dine_in: { pending: 'preparing', preparing: 'ready', ready: 'served', served: 'paid' },
};
const day = (daysAgo) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);

/** A random order of 1–3 different items (quantities 1–3, modifiers within each group's bounds). */
function orderBody(shop) {
  const lines = [...shop.items]
    .sort(() => Math.random() - 0.5)
    .slice(0, 1 + randomInt(3))
    .map((item) => ({
      menuItemId: item.id,
      quantity: 1 + randomInt(3),
      modifierOptionIds: item.groups.flatMap((g) =>
        [...g.options].sort(() => Math.random() - 0.5).slice(0, g.min + randomInt(g.max - g.min + 1)),
      ),
    }));
  const dineIn = Math.random() < 0.3;
  return JSON.stringify({
    type: dineIn ? 'dine_in' : 'takeaway',
    ...(dineIn ? { tableId: pick(shop.tables) } : { customerName: 'Load' }),
    items: lines,
  });
}

/**
 * The traffic of the seeded restaurants: for each kind, the autocannon request
 * (`setupRequest` picks a restaurant, a caller and a body; `onResponse` records
 * the answer in the current stage's statistics and feeds the shared state:
 * placed orders wait for status changes, sign-ins renew the callers' tokens).
 */
export class Traffic {
  /** The statistics the answers go to; run.mjs swaps it at each stage. */
  stats = new StageStats();
  /** Answers recorded so far, all stages together (bounded by the scenario's maxRequestsPerSecond × its seconds). */
  answered = 0;
  #signIns = 0;

  constructor(shops, clientIps, onAnswer = () => {}) {
    this.shops = shops;
    this.clientIps = clientIps;
    this.onAnswer = onAnswer;
    this.users = shops.flatMap((shop) => shop.users.map((user) => ({ user, shop })));
  }

  /** A visitor's address from the pool (a proxy in front puts it in X-Forwarded-For). */
  visitorIp() {
    const n = randomInt(this.clientIps);
    return `172.16.${Math.floor(n / 250)}.${(n % 250) + 1}`;
  }

  #record(context, status) {
    const kind = context.kind;
    this.stats.of(kind).record(status, performance.now() - context.sentAt);
    this.answered++;
    this.onAnswer();
  }

  /** The autocannon `requests` entry for `kind`. */
  request(kind) {
    const build = {
      menu: () => ({
        kind: 'menu',
        method: 'GET',
        path: `/api/v1/public/restaurants/${pick(this.shops).slug}/menu`,
        ip: this.visitorIp(),
      }),
      login: () => {
        // Round robin: every user signs in again at a steady pace, which also keeps the tokens fresh.
        const { user, shop } = this.users[this.#signIns++ % this.users.length];
        const body = JSON.stringify({ email: user.email, password: BENCH_PASSWORD });
        return { kind: 'login', method: 'POST', path: '/api/v1/auth/login', ip: shop.ip, body, user };
      },
      place: () => {
        const shop = pick(this.shops);
        // Half at the till (a staff member's session), half from an ordering integration (the API key).
        const token = Math.random() < 0.5 ? shop.apiKey : pick(shop.staff).token;
        const extra = { 'idempotency-key': randomUUID() };
        return {
          kind: 'place',
          method: 'POST',
          path: '/api/v1/orders',
          ip: shop.ip,
          token,
          extra,
          body: orderBody(shop),
          shop,
        };
      },
      status: () => {
        const start = randomInt(this.shops.length);
        for (let i = 0; i < this.shops.length; i++) {
          const shop = this.shops[(start + i) % this.shops.length];
          const order = shop.open.shift();
          if (!order) continue;
          if (order.status === 'pending' && Math.random() < 0.03) {
            const body = JSON.stringify({ status: 'cancelled', reason: 'customer left' });
            const path = `/api/v1/orders/${order.id}/status`;
            return {
              kind: 'status',
              method: 'POST',
              path,
              ip: shop.ip,
              token: pick(shop.managers).token,
              body,
              shop,
              order,
              next: 'cancelled',
            };
          }
          const next = NEXT_STATUS[order.type][order.status];
          const body = JSON.stringify(
            next === 'paid'
              ? { status: next, paymentMethod: pick(['cash', 'card']), tip: randomInt(0, 100) }
              : { status: next },
          );
          const path = `/api/v1/orders/${order.id}/status`;
          return {
            kind: 'status',
            method: 'POST',
            path,
            ip: shop.ip,
            token: pick([...shop.staff, ...shop.managers]).token,
            body,
            shop,
            order,
            next,
          };
        }
        // No order is waiting for a change: the kitchen display refreshes instead.
        const shop = pick(this.shops);
        return {
          kind: 'kitchen',
          method: 'GET',
          path: '/api/v1/orders/kitchen',
          ip: shop.ip,
          token: pick(shop.staff).token,
        };
      },
      list: () => {
        const shop = pick(this.shops);
        const roll = Math.random();
        const query =
          roll < 0.7 ? 'limit=20' : roll < 0.9 ? 'status=pending,preparing,ready&limit=50' : 'type=dine_in&limit=20';
        const token = Math.random() < 0.2 ? shop.apiKey : pick(shop.users).token;
        return { kind: 'list', method: 'GET', path: `/api/v1/orders?${query}`, ip: shop.ip, token };
      },
      dashboard: () => {
        const shop = pick(this.shops);
        const query = Math.random() < 0.8 ? '' : `?from=${day(6)}&to=${day(0)}`;
        return {
          kind: 'dashboard',
          method: 'GET',
          path: `/api/v1/reports/dashboard${query}`,
          ip: shop.ip,
          token: pick(shop.managers).token,
        };
      },
    }[kind];

    return {
      setupRequest: (request, context) => {
        const next = build();
        Object.assign(context, next, { sentAt: performance.now() });
        return {
          ...request,
          method: next.method,
          path: next.path,
          headers: {
            ...request.headers,
            'x-forwarded-for': next.ip,
            ...(next.body && { 'content-type': 'application/json' }),
            ...(next.token && { authorization: `Bearer ${next.token}` }),
            ...next.extra,
          },
          body: next.body ?? '',
        };
      },
      onResponse: (status, body, context, headers) => {
        this.#record(context, status);
        if (context.kind === 'login' && status === 200) {
          const setCookie = Object.entries(headers).find(([name]) => name.toLowerCase() === 'set-cookie')?.[1];
          const token = accessTokenOf(setCookie);
          if (token) context.user.token = token;
        } else if (context.kind === 'place' && status === 201) {
          const order = JSON.parse(body);
          context.shop.placed.push(order.id);
          context.shop.open.push({ id: order.id, type: order.type, status: order.status });
        } else if (
          context.kind === 'status' &&
          status === 200 &&
          context.next !== 'paid' &&
          context.next !== 'cancelled'
        ) {
          context.order.status = context.next;
          context.shop.open.push(context.order);
        }
      },
    };
  }
}

/** The autocannon runs of the current stage; `stop()` ends them (and cancels the ones not started yet). */
export class LoadControl {
  instances = new Set();
  stopped = false;

  stop() {
    this.stopped = true;
    for (const instance of this.instances) instance.stop();
  }
}

/** Start times a kind with a rate is spread over, within the first second (see runStage). */
const PHASES = 5;

/** `total` split into `parts` whole numbers as even as can be (the first ones get the remainder). */
const split = (total, parts) =>
  Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));

/**
 * One stage: every kind of the mix at once for the stage's seconds, its
 * connections and rate multiplied by the stage's `scale`. A kind without a
 * rate is one autocannon run (closed loop: each connection sends its next
 * request when the answer comes). A kind with a rate (requests per second) is
 * split into up to five runs, each with its share of the connections and of
 * the rate, started at even offsets over the first second: autocannon hands
 * out a connection's quota at the start of each of its seconds, so runs
 * started together would send the whole rate in one burst per second. (One
 * run per connection would spread it further, but each autocannon run costs
 * tens of milliseconds of CPU to start and to end.) Resolves with the
 * wall-clock seconds and whether `control.stop()` cut it short.
 */
export async function runStage(url, traffic, mix, stage, control) {
  const scale = stage.scale ?? 1;
  const startedAt = performance.now();
  const run = (kind, options, delayMs) =>
    new Promise((resolve, reject) => {
      setTimeout(() => {
        if (control.stopped) return resolve();
        const instance = autocannon(
          { url, duration: stage.seconds, pipelining: 1, requests: [traffic.request(kind)], ...options },
          (error, result) => {
            control.instances.delete(instance);
            if (error) return reject(error);
            // Socket errors and time-outs belong to the kind the run was started for.
            traffic.stats.of(kind).socketErrors += result.errors;
            resolve();
          },
        );
        control.instances.add(instance);
      }, delayMs);
    });
  const runs = [];
  for (const [kind, spec] of Object.entries(mix)) {
    const connections = Math.max(1, Math.round(spec.connections * scale));
    if (!spec.rate) {
      runs.push(run(kind, { connections }, 0));
      continue;
    }
    const rate = Math.max(1, Math.round(spec.rate * scale));
    const phases = Math.min(PHASES, connections, rate);
    const rates = split(rate, phases);
    for (const [i, phaseConnections] of split(connections, phases).entries())
      runs.push(run(kind, { connections: phaseConnections, overallRate: rates[i] }, (i * 1000) / phases));
  }
  await Promise.all(runs);
  return { wallSeconds: (performance.now() - startedAt) / 1000, stoppedEarly: control.stopped };
}

/** Every order answered 201 must be listed by its restaurant (paged with the cursor, by a fresh owner session). */
export async function missingOrders(url, shops) {
  let listed = 0;
  let missing = 0;
  for (const shop of shops) {
    const { token } = await login(url, shop.owner.email, BENCH_PASSWORD);
    const ids = await listAllOrders(url, { authorization: `Bearer ${token}` });
    listed += ids.size;
    missing += shop.placed.filter((id) => !ids.has(id)).length;
  }
  return { placed: shops.reduce((sum, shop) => sum + shop.placed.length, 0), listed, missing };
}
