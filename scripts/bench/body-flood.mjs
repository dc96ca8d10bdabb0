// npm run bench -- body-flood   (BENCH_ROUNDS, default 5; BENCH_PARALLEL, default 10)
// Floods the API with 0.9 MB JSON objects of 75,000 unknown keys — to
// POST /api/v1/auth/login (no credentials) and to POST /api/v1/menu/categories
// as an owner — BENCH_PARALLEL at a time, several rounds, while a probe in its own
// thread times GET /health/live every few ms. Prints the probe's latency
// (p50/p99/max: how long the event loop was unavailable to other requests), the
// server's own event-loop delay from /metrics, and the flood's statuses and
// answer sizes, next to the same figures with no flood. Target: p99 under 50 ms.
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { BENCH_METRICS_TOKEN, createRestaurant, pin, startApi } from './lib.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PARALLEL = Number(process.env.BENCH_PARALLEL ?? 10);
const KEYS = 75_000;
const PROBE_INTERVAL_MS = 5;

/** `{"f00000":"","f00001":"",…}`: 75,000 keys, ~0.9 MB. */
const body = `{${Array.from({ length: KEYS }, (_, i) => `"f${String(i).padStart(5, '0')}":""`).join(',')}}`;

const PROBE = `
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
let running = true;
const samples = [];
let failures = 0;
parentPort.on('message', () => { running = false; });
(async () => {
  while (running) {
    const start = performance.now();
    try {
      const res = await fetch(workerData.url);
      await res.arrayBuffer();
      samples.push(performance.now() - start);
    } catch {
      failures++;
    }
    await new Promise((resolve) => setTimeout(resolve, workerData.intervalMs));
  }
  parentPort.postMessage({ samples, failures });
})();
`;

function startProbe(url) {
  const worker = new Worker(PROBE, { eval: true, workerData: { url, intervalMs: PROBE_INTERVAL_MS } });
  const done = new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    stop: async () => {
      worker.postMessage('stop');
      const result = await done;
      await worker.terminate();
      return result;
    },
  };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** prom-client's event-loop delay (monitorEventLoopDelay), reset by every scrape. */
async function serverLoopDelay(url) {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${BENCH_METRICS_TOKEN}` } });
  if (!res.ok) throw new Error(`GET /metrics answered ${res.status}`);
  const text = await res.text();
  const read = (name) => Number(text.match(new RegExp(`^${name} (\\S+)$`, 'm'))?.[1] ?? NaN) * 1000;
  return {
    p50: read('nodejs_eventloop_lag_p50_seconds'),
    p99: read('nodejs_eventloop_lag_p99_seconds'),
    max: read('nodejs_eventloop_lag_max_seconds'),
  };
}

/** The probe alone: the floor the machine's other load sets, to read the flood's figures against. */
async function idle(api, milliseconds) {
  await serverLoopDelay(api.url);
  const probe = startProbe(`${api.url}/health/live`);
  await new Promise((resolve) => setTimeout(resolve, milliseconds));
  const { samples: unsorted, failures } = await probe.stop();
  const samples = unsorted.toSorted((a, b) => a - b);
  const server = await serverLoopDelay(api.url);
  printDelays(`no flood (${milliseconds / 1000} s)`, samples, failures, server);
}

const ms = (value) => `${value.toFixed(1)} ms`;

function printDelays(name, samples, failures, server) {
  console.log(`\n${name}`);
  console.log(
    `  GET /health/live meanwhile (${samples.length} probes, ${failures} failed): p50 ${ms(percentile(samples, 50))}  p99 ${ms(percentile(samples, 99))}  max ${ms(samples.at(-1))}`,
  );
  console.log(`  server event-loop delay: p50 ${ms(server.p50)}  p99 ${ms(server.p99)}  max ${ms(server.max)}`);
}

async function flood(api, name, path, headers) {
  await serverLoopDelay(api.url);
  const probe = startProbe(`${api.url}/health/live`);
  const statuses = new Map();
  let largestAnswer = 0;
  const started = performance.now();
  for (let round = 0; round < ROUNDS; round++) {
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        let res;
        try {
          res = await fetch(`${api.url}${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...headers },
            body,
          });
        } catch {
          // The server may answer 413 and close before the whole body is written: the client sees EPIPE.
          statuses.set('closed', (statuses.get('closed') ?? 0) + 1);
          return;
        }
        const answer = await res.arrayBuffer();
        largestAnswer = Math.max(largestAnswer, answer.byteLength);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }),
    );
  }
  const elapsed = performance.now() - started;
  const { samples: unsorted, failures } = await probe.stop();
  const samples = unsorted.toSorted((a, b) => a - b);
  const server = await serverLoopDelay(api.url);
  printDelays(
    `${name}: ${ROUNDS} rounds of ${PARALLEL} parallel ${(body.length / 1e6).toFixed(2)} MB bodies`,
    samples,
    failures,
    server,
  );
  console.log(
    `  answers: ${[...statuses].map(([status, count]) => `${count}× ${status}`).join(', ')}; largest ${largestAnswer} bytes; flood took ${ms(elapsed)}`,
  );
}

const api = await startApi();
try {
  const session = await createRestaurant(api.url, 'flood');
  const pinned = pin(api.child.pid, 0) && pin(process.pid, 1);
  console.log(`${pinned ? 'API on core 0, flood and probe on core 1' : 'unpinned'}`);
  await idle(api, 3000);
  await flood(api, 'POST /api/v1/auth/login (no credentials)', '/api/v1/auth/login', {});
  await flood(api, 'POST /api/v1/menu/categories (owner)', '/api/v1/menu/categories', {
    authorization: `Bearer ${session.token}`,
  });
} finally {
  await api.stop();
}
