// npm run load -- <smoke|load|stress|spike|soak|path/to/scenario.json> [--duration <s>] [--sample <s>]
//
// Starts the built API on 127.0.0.1 (MariaDB + Redis when DATABASE_URL and REDIS_URL are set, else the
// embedded default) with the application's own rate limits, behind a simulated proxy on loopback
// (TRUST_PROXY=loopback, visitors' addresses in X-Forwarded-For). Seeds restaurants through the API, then
// runs the scenario's stages: public menus of many restaurants, sign-ins, order placement, status changes,
// order lists and the dashboard at the same time (autocannon, one run per kind of request). Prints
// p50/p95/p99, throughput and error rate per endpoint and exits 1 when a threshold of the scenario file
// (scripts/load/scenarios/<name>.json) is broken, any answer is a 5xx, an order answered 201 is not
// listed afterwards, or the API exits. Every scenario stops by itself (its stages' seconds, at most
// `maxRequestsPerSecond` × those seconds answers, a deadline) and stops the API it started.
//
//   --duration <s>  every stage lasts this long instead (e.g. a soak of an hour: --duration 3600)
//   --sample <s>    samples the API's memory every <s> seconds (the soak scenario does by default)
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { clearInterval, clearTimeout, setInterval, setTimeout } from 'node:timers';
import { parseArgs } from 'node:util';
import { loadAverage, ROOT, sampleMemory, startApi } from '../bench/lib.mjs';
import {
  LoadControl,
  missingOrders,
  printStats,
  readScenario,
  runStage,
  seedRestaurants,
  StageStats,
  thresholdFailures,
  Traffic,
} from './lib.mjs';

const SCENARIOS = ['smoke', 'load', 'stress', 'spike', 'soak'];
/** Time allowed beyond the stages: start-up, seeding, the order check and the stop. */
const SETUP_ALLOWANCE_SECONDS = 300;
/** Access JWTs live 15 minutes; a longer run needs every user to sign in again well before. */
const TOKEN_RENEWAL_SECONDS = 600;

const { values: options, positionals } = parseArgs({
  args: process.argv.slice(2),
  allowPositionals: true,
  options: { duration: { type: 'string' }, sample: { type: 'string' } },
});
const name = positionals[0];
if (positionals.length !== 1 || !(SCENARIOS.includes(name) || name.endsWith('.json'))) {
  console.error(
    `usage: npm run load -- <${SCENARIOS.join('|')}|path/to/scenario.json> [--duration <s>] [--sample <s>]`,
  );
  process.exit(2);
}
const file = SCENARIOS.includes(name) ? join(ROOT, 'scripts/load/scenarios', `${name}.json`) : name;
let scenario;
try {
  scenario = readScenario(file);
  const positive = (value, flag) => {
    const n = Number(value);
    if (!(Number.isFinite(n) && n > 0)) throw new Error(`${flag} takes a positive number of seconds`);
    return n;
  };
  if (options.duration !== undefined) {
    const seconds = positive(options.duration, '--duration');
    for (const stage of scenario.stages) stage.seconds = seconds;
  }
  if (options.sample !== undefined) scenario.sampleSeconds = positive(options.sample, '--sample');
} catch (error) {
  console.error(error.message);
  process.exit(2);
}
const totalSeconds = scenario.stages.reduce((sum, stage) => sum + stage.seconds, 0);
const maxRequests = Math.ceil(scenario.maxRequestsPerSecond * totalSeconds);
const deadlineSeconds = Math.ceil(SETUP_ALLOWANCE_SECONDS + totalSeconds * 1.1);
const users = scenario.restaurants * (2 + scenario.staffPerRestaurant);
if (totalSeconds > TOKEN_RENEWAL_SECONDS) {
  const rate = scenario.mix.login?.rate;
  if (!rate || users / Math.min(...scenario.stages.map((s) => rate * (s.scale ?? 1))) > TOKEN_RENEWAL_SECONDS) {
    console.error(
      `${name}: over ${TOKEN_RENEWAL_SECONDS} s every one of the ${users} users must sign in again within ` +
        `${TOKEN_RENEWAL_SECONDS} s (their tokens live 15 minutes): give mix.login a rate ≥ ${Math.ceil(users / TOKEN_RENEWAL_SECONDS)}/s`,
    );
    process.exit(2);
  }
}

const fullMode = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);
let control = new LoadControl();
const timers = [];
const reasons = [];
let api;
let apiExit;
let capped = false;

const stopLoad = () => control.stop();
// An API that exits on its own (a crash, an OOM kill) stops the load and fails the run.
const onApiExit = (code, signal) => {
  apiExit = signal ?? `code ${code}`;
  console.error(`API exited during the run (${apiExit})`);
  stopLoad();
};
const stopApi = async () => {
  if (!api) return;
  api.child.off('exit', onApiExit);
  if (api.child.exitCode === null && api.child.signalCode === null) await api.stop();
};
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
]) {
  process.once(signal, () => {
    console.error(`${signal}: stopping the load and the API`);
    stopLoad();
    void stopApi().finally(() => process.exit(code));
  });
}
const deadline = setTimeout(() => {
  console.error(`FAIL: still running after ${deadlineSeconds} s; stopping`);
  stopLoad();
  void stopApi().finally(() => process.exit(1));
}, deadlineSeconds * 1000);
deadline.unref();

console.log(`load scenario ${name}: ${scenario.description}`);
console.log(
  `${fullMode ? 'MariaDB + Redis' : 'embedded default (SQLite; the thresholds are set for MariaDB + Redis)'}; ` +
    `${scenario.restaurants} restaurants; ${scenario.stages.length} stage(s), ${totalSeconds} s of load ` +
    `(at most ${maxRequests} answers, all done within ${deadlineSeconds} s); ${cpus().length} cores; ` +
    `load average ${loadAverage()}` +
    (scenario.apiNodeOptions ? `; API NODE_OPTIONS ${scenario.apiNodeOptions}` : ''),
);

const began = Date.now();
try {
  api = await startApi(
    {
      TRUST_PROXY: 'loopback',
      ...(scenario.apiNodeOptions !== undefined && { NODE_OPTIONS: scenario.apiNodeOptions }),
    },
    { appLimits: true },
  );
  api.child.once('exit', onApiExit);
  console.log(`API ${api.url} (pid ${api.child.pid}) up after ${((Date.now() - began) / 1000).toFixed(1)} s`);

  const seedStart = Date.now();
  const shops = await seedRestaurants(api.url, { count: scenario.restaurants, staff: scenario.staffPerRestaurant });
  console.log(
    `seeded ${shops.length} restaurants (${users} users, ${shops.length} API keys) in ` +
      `${((Date.now() - seedStart) / 1000).toFixed(1)} s`,
  );

  const traffic = new Traffic(shops, scenario.clientIps, () => {
    if (!capped && traffic.answered >= maxRequests) {
      capped = true;
      console.log(`${maxRequests} answers (maxRequestsPerSecond × seconds): stopping the load early`);
      stopLoad();
    }
  });

  const samples = [];
  if (scenario.sampleSeconds) {
    // Seeding hashes passwords (argon2 takes 19 MiB each): reset the RSS high-water mark so that the peak is the load's.
    try {
      writeFileSync(`/proc/${api.child.pid}/clear_refs`, '5');
    } catch {
      console.log('(could not reset the RSS peak: it includes the seeding)');
    }
    const t0 = Date.now();
    const takeSample = () =>
      sampleMemory(api.child.pid, api.url).then(
        (s) => {
          samples.push(s);
          console.log(
            `memory at ${Math.round((Date.now() - t0) / 1000)} s: RSS ${Math.round(s.rss)} MB (peak ${Math.round(s.peak)}), ` +
              `heap used ${Math.round(s.heapUsed)} MB of ${Math.round(s.heapTotal)}`,
          );
        },
        (error) => console.error(`memory sample failed: ${error.message}`),
      );
    await takeSample();
    timers.push(setInterval(takeSample, scenario.sampleSeconds * 1000));
  }

  const measured = new StageStats();
  for (const stage of scenario.stages) {
    if (apiExit || capped) break;
    traffic.stats = new StageStats();
    control = new LoadControl();
    const cpuBefore = process.cpuUsage();
    // A starved load generator sends late and measures late: its own event-loop delay says how much.
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const { wallSeconds, stoppedEarly } = await runStage(api.url, traffic, scenario.mix, stage, control);
    lag.disable();
    const cpu = process.cpuUsage(cpuBefore);
    // Each run sends for the stage's seconds from its own start (the last one starts within the first
    // second, and the runs take a moment to report): throughput is over those seconds unless cut short.
    traffic.stats.setSeconds(stoppedEarly ? wallSeconds : stage.seconds);
    console.log(
      `\nstage ${stage.name}: ${stage.seconds} s (${wallSeconds.toFixed(1)} s from first start to last end` +
        `${stoppedEarly ? ', stopped early' : ''}), scale ${stage.scale ?? 1}; load generator: CPU ` +
        `${Math.round(((cpu.user + cpu.system) / 1e6 / wallSeconds) * 100)} % of a core, event-loop delay p99 ` +
        `${Math.round(lag.percentile(99) / 1e6)} ms; load average ${loadAverage()}`,
    );
    printStats(traffic.stats);
    if (stage.measure !== false) measured.merge(traffic.stats);
    reasons.push(...thresholdFailures(traffic.stats, stage.thresholds, `stage ${stage.name}: `));
  }
  for (const timer of timers) clearInterval(timer);

  const measuredStages = scenario.stages.filter((s) => s.measure !== false).length;
  if (measuredStages > 1 || scenario.stages.length > 1) {
    console.log(`\nall measured stages (${measuredStages}):`);
    printStats(measured);
  }
  reasons.push(...thresholdFailures(measured, scenario.thresholds));

  if (apiExit) reasons.push(`the API exited (${apiExit})`);
  else {
    const orders = await missingOrders(api.url, shops);
    console.log(
      `\norders answered 201: ${orders.placed}; listed afterwards: ${orders.listed}; missing: ${orders.missing}`,
    );
    if (orders.missing > 0) reasons.push(`${orders.missing} orders answered 201 are not listed`);
    if (scenario.sampleSeconds) {
      const end = await sampleMemory(api.child.pid, api.url);
      samples.push(end);
      const peak = Math.max(...samples.map((s) => s.peak));
      console.log(
        `memory: RSS before load ${Math.round(samples[0].rss)} MB, peak ${Math.round(peak)} MB, end ${Math.round(end.rss)} MB; ` +
          `heap used max ${Math.round(Math.max(...samples.map((s) => s.heapUsed)))} MB`,
      );
      const limit = scenario.memory?.maxRssMb;
      if (limit !== undefined && peak > limit) reasons.push(`RSS peak ${Math.round(peak)} MB > ${limit} MB`);
    }
  }
  console.log(`\n${name} took ${Math.round((Date.now() - began) / 1000)} s; load average ${loadAverage()}`);
  if (reasons.length === 0) console.log('PASS');
  else {
    console.log('FAIL:');
    for (const reason of reasons) console.log(`  - ${reason}`);
  }
  process.exitCode = reasons.length === 0 ? 0 : 1;
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  for (const timer of timers) clearInterval(timer);
  stopLoad();
  await stopApi();
  clearTimeout(deadline);
}
