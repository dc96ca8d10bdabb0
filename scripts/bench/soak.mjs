// npm run bench -- soak [--duration 60] [--connections 32] [--sample 10] [--node-options=<flags>]
//                       [--env NAME=value]… [--max-rss <MB>] [--heap-snapshots]
//   (MariaDB + Redis: DATABASE_URL and REDIS_URL set)
// A long mixed load on one full-mode API: order placement with a fresh
// Idempotency-Key per request (API key), the authenticated first page of
// GET /orders (owner's bearer JWT) and the public menu, at the same time.
// Samples the API's RSS (/proc/<pid>/status) and V8 heap (/metrics) every
// --sample seconds, prints throughput, p50/p99 and errors per request kind, and
// at the end pages through every order with the cursor: PASS when every order
// answered 201 is listed, nothing failed and the RSS peak stayed under --max-rss.
//
//   --node-options=<flags>  NODE_OPTIONS of the API (use the `=` form), e.g. what the Dockerfile's
//                           command resolves to in a 512 MiB container:
//                           --node-options="--max-old-space-size=256 --max-semi-space-size=16"
//   --env NAME=value        more environment for the API (repeatable), e.g. --env MALLOC_ARENA_MAX=2
//   --heap-snapshots        writes heap snapshots at 10 %, 50 % and 90 % of the run into a temporary
//                           directory (each pauses the API for seconds): compare them with
//                           `npm run heap:compare -- <a> <b> [<c>]`
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clearInterval, setInterval } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import {
  BENCH_PASSWORD,
  createOrderingShop,
  json,
  listAllOrders,
  loadAverage,
  login,
  pin,
  sampleMemory as sample,
  startApi,
} from './lib.mjs';

const { values: options } = parseArgs({
  args: process.argv.slice(3),
  options: {
    duration: { type: 'string', default: '60' },
    connections: { type: 'string', default: '32' },
    sample: { type: 'string', default: '10' },
    'node-options': { type: 'string', default: '' },
    env: { type: 'string', multiple: true, default: [] },
    'max-rss': { type: 'string' },
    'heap-snapshots': { type: 'boolean', default: false },
  },
});
const DURATION = Number(options.duration);
const CONNECTIONS = Number(options.connections);
const SAMPLE_SECONDS = Number(options.sample);
const MAX_RSS_MB = options['max-rss'] === undefined ? undefined : Number(options['max-rss']);
// The access JWT lives 15 minutes: the list's token is renewed well before that.
const RELOGIN_MS = 10 * 60 * 1000;

if (!process.env.DATABASE_URL || !process.env.REDIS_URL) {
  console.error('soak needs MariaDB and Redis: eval "$(bash scripts/services.sh up)" && npm run migration:run first');
  process.exit(2);
}
if (![DURATION, CONNECTIONS, SAMPLE_SECONDS].every((n) => Number.isInteger(n) && n > 0) || CONNECTIONS < 3) {
  console.error('--duration, --connections (at least 3) and --sample take positive whole numbers');
  process.exit(2);
}

async function seed(url) {
  const { items, apiKey, ...owner } = await createOrderingShop(url, 'soak', [
    ['Latte', 450],
    ['Espresso', 300],
    ['Cookie', 250],
  ]);
  return { owner, items, apiKey };
}

/** SIGUSR2 makes the API write a snapshot (--heapsnapshot-signal); it is complete once the API answers again. */
async function heapSnapshot(api, dir) {
  const before = readdirSync(dir).length;
  api.child.kill('SIGUSR2');
  while (readdirSync(dir).length === before) await sleep(100);
  await fetch(`${api.url}/health/live`);
  return readdirSync(dir).toSorted().at(-1);
}

const round = (n) => (Number.isFinite(n) ? Math.round(n) : 'n/a');
const pad = (value, width) => String(value).padStart(width);

const snapshotDir = options['heap-snapshots'] ? mkdtempSync(join(tmpdir(), 'coffee-soak-heap-')) : undefined;
const nodeOptions = [
  options['node-options'],
  ...(snapshotDir ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${snapshotDir}`] : []),
]
  .filter(Boolean)
  .join(' ');
const extraEnv = Object.fromEntries(
  options.env.map((pair) => {
    const at = pair.indexOf('=');
    if (at < 1) throw new Error(`--env takes NAME=value, not ${pair}`);
    return [pair.slice(0, at), pair.slice(at + 1)];
  }),
);

function printSample(s) {
  console.log(
    `${pad(s.t, 5)}  ${pad(round(s.rss), 7)}  ${pad(round(s.peak), 7)}  ${pad(round(s.heapUsed), 9)}  ` +
      `${pad(round(s.heapTotal), 10)}  ${pad(round(s.external), 8)}`,
  );
}

const api = await startApi({ NODE_OPTIONS: nodeOptions, ...extraEnv });
const timers = [];
const loads = [];
let apiExit;
// A soak must notice a crash (or an OOM kill): stop the load and fail instead of counting refused connections.
const onApiExit = (code, signal) => {
  apiExit = signal ?? `code ${code}`;
  console.error(`API exited during the load (${apiExit})`);
  for (const timer of timers) clearInterval(timer);
  for (const load of loads) load.stop();
};

/** One autocannon run for the whole duration; `requests` may carry setupRequest/onResponse hooks. */
function run(name, { connections, ...rest }) {
  return new Promise((resolve, reject) => {
    const load = autocannon({ connections, duration: DURATION, pipelining: 1, ...rest }, (error, result) => {
      if (error) reject(error);
      else resolve({ name, result });
    });
    loads.push(load);
  });
}

try {
  const { owner, items, apiKey } = await seed(api.url);
  let listToken = owner.token;
  timers.push(
    setInterval(() => {
      login(api.url, `${owner.slug}@bench.test`, BENCH_PASSWORD).then(
        (session) => (listToken = session.token),
        (error) => console.error(`re-login failed: ${error.message}`),
      );
    }, RELOGIN_MS),
  );
  const menuUrl = `${api.url}/api/v1/public/restaurants/${owner.slug}/menu`;
  await json(menuUrl);

  const pinned = pin(api.child.pid, 0) && pin(process.pid, 1);
  const perKind = Math.floor(CONNECTIONS / 3);
  const placementConnections = CONNECTIONS - 2 * perKind;
  console.log(
    `soak: ${DURATION}s, ${CONNECTIONS} connections (placement ${placementConnections}, list ${perKind}, menu ${perKind}); ` +
      `${pinned ? 'API on core 0, load on core 1' : 'unpinned'}; MariaDB + Redis`,
  );
  console.log(
    `API ${api.url} (pid ${api.child.pid}); NODE_OPTIONS: ${nodeOptions || '(none)'}` +
      `${options.env.length > 0 ? `; env ${options.env.join(' ')}` : ''}`,
  );
  console.log(`load average at start: ${loadAverage()}`);

  const start = { t: 0, ...(await sample(api.child.pid, api.url)) };
  const samples = [start];
  const startedAt = Date.now();
  const elapsed = () => Math.round((Date.now() - startedAt) / 1000);
  console.log('    t   RSS MB  peak MB  heap used  heap total  external');
  printSample(start);
  timers.push(
    setInterval(() => {
      sample(api.child.pid, api.url).then(
        (s) => {
          samples.push({ t: elapsed(), ...s });
          printSample(samples.at(-1));
        },
        (error) => console.error(`sample failed: ${error.message}`),
      );
    }, SAMPLE_SECONDS * 1000),
  );
  const snapshots = [];
  for (const share of snapshotDir ? [0.1, 0.5, 0.9] : []) {
    timers.push(
      setTimeout(
        () =>
          heapSnapshot(api, snapshotDir).then(
            (file) => {
              snapshots.push(join(snapshotDir, file));
              console.log(`heap snapshot at ${elapsed()}s: ${file}`);
            },
            (error) => console.error(`heap snapshot failed: ${error.message}`),
          ),
        DURATION * share * 1000,
      ),
    );
  }

  const placed = [];
  const placedBody = JSON.stringify({
    type: 'takeaway',
    items: [
      { menuItemId: items[0].id, quantity: 2 },
      { menuItemId: items[2].id, quantity: 1 },
    ],
  });
  api.child.once('exit', onApiExit);
  const runs = await Promise.all([
    run('POST /orders (new key each)', {
      url: `${api.url}/api/v1/orders`,
      connections: placementConnections,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: placedBody,
      requests: [
        {
          setupRequest: (request) => ({ ...request, headers: { ...request.headers, 'idempotency-key': randomUUID() } }),
          onResponse: (status, body) => {
            if (status === 201) placed.push(JSON.parse(body).id);
          },
        },
      ],
    }),
    run('GET /orders (bearer JWT)', {
      url: `${api.url}/api/v1/orders?limit=20`,
      connections: perKind,
      requests: [
        {
          setupRequest: (request) => ({
            ...request,
            headers: { ...request.headers, authorization: `Bearer ${listToken}` },
          }),
        },
      ],
    }),
    run('GET public menu', { url: menuUrl, connections: perKind }),
  ]);
  api.child.off('exit', onApiExit);
  for (const timer of timers) clearInterval(timer);
  const seconds = elapsed();
  if (!apiExit) {
    samples.push({ t: seconds, ...(await sample(api.child.pid, api.url)) });
    printSample(samples.at(-1));
  }
  console.log(`load average at end: ${loadAverage()}`);

  const width = Math.max(...runs.map((r) => r.name.length));
  let failures = 0;
  for (const { name, result } of runs) {
    failures += result.errors + result.non2xx;
    console.log(
      `${name.padEnd(width)}  ${pad(Math.round(result.requests.average), 6)} req/s  p50 ${pad(result.latency.p50, 4)} ms  ` +
        `p99 ${pad(result.latency.p99, 4)} ms  requests ${result.requests.total}  non-2xx ${result.non2xx}  ` +
        `socket errors/timeouts ${result.errors}`,
    );
  }
  const total = runs.reduce((sum, r) => sum + r.result.requests.total, 0);
  console.log(`${'all'.padEnd(width)}  ${pad(Math.round(total / seconds), 6)} req/s  errors ${failures}`);

  const end = samples.at(-1);
  const max = (field) => Math.max(...samples.map((s) => s[field]));
  const rssPeak = max('peak');
  console.log(
    `RSS MB: before load ${round(start.rss)}, peak ${round(rssPeak)}, end ${round(end.rss)}; ` +
      `heap used MB: max ${round(max('heapUsed'))}, end ${round(end.heapUsed)}; heap total MB: max ${round(max('heapTotal'))}` +
      (snapshotDir ? ' (the snapshots themselves raise RSS)' : ''),
  );
  if (snapshots.length > 0) console.log(`heap snapshots: ${snapshots.toSorted().join(' ')}`);

  let missing = [];
  if (!apiExit) {
    const listed = await listAllOrders(api.url, { authorization: `Bearer ${listToken}` });
    missing = placed.filter((id) => !listed.has(id));
    // Orders still in flight when the load stopped are listed but were never counted as answered.
    console.log(`orders answered 201: ${placed.length}; listed afterwards: ${listed.size}; missing: ${missing.length}`);
  }

  const reasons = [
    ...(apiExit ? [`the API exited (${apiExit})`] : []),
    ...(missing.length > 0 ? [`${missing.length} placed orders missing from the list`] : []),
    ...(failures > 0 ? [`${failures} failed requests`] : []),
    ...(MAX_RSS_MB !== undefined && rssPeak >= MAX_RSS_MB ? [`RSS peak ${round(rssPeak)} MB >= ${MAX_RSS_MB} MB`] : []),
  ];
  console.log(reasons.length === 0 ? 'PASS' : `FAIL: ${reasons.join('; ')}`);
  process.exitCode = reasons.length === 0 ? 0 : 1;
} finally {
  for (const timer of timers) clearInterval(timer);
  if (api.child.exitCode === null && api.child.signalCode === null) await api.stop();
}
