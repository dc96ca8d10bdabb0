// npm run bench -- cold-start
// Time from `node dist/apps/api/src/main.js` to the first 200 of /health/ready
// (what an HPA scale-out, a rolling update and every CLI call pay), median of
// BENCH_ROUNDS (default 5) starts on an existing database, next to a bare
// Fastify server started the same way. Embedded default, and full mode too when
// DATABASE_URL is set. Target: < 1.5 s. Also prints the idle RSS once ready.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { freePort, ROOT, rssMb, startApi, verdict } from './lib.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const median = (values) => values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)];

/** Spawns `node <args>` and resolves with the ms until `path` answers 200, and the RSS then; stops it. */
async function timeToReady(args, env, path) {
  const port = await freePort();
  const began = performance.now();
  const child = spawn(process.execPath, args, { env: { ...env, PORT: String(port) }, stdio: 'ignore' });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
      const ok = await fetch(`http://127.0.0.1:${port}${path}`).then(
        (res) => res.status === 200,
        () => false,
      );
      if (ok) return { ms: performance.now() - began, rss: rssMb(child.pid) };
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}

async function measure(label, args, env, path) {
  const runs = [];
  for (let round = 0; round < ROUNDS; round++) runs.push(await timeToReady(args, env, path));
  const ms = Math.round(median(runs.map((run) => run.ms)));
  console.log(
    `${label.padEnd(44)} ${String(ms).padStart(6)} ms  (starts: ${runs.map((run) => Math.round(run.ms)).join(', ')} ms; RSS when ready ${median(runs.map((run) => run.rss))} MB)`,
  );
  return ms;
}

const bare = `
  const fastify = require(${JSON.stringify(join(ROOT, 'node_modules/fastify'))})();
  fastify.get('/ready', async () => ({ ok: true }));
  fastify.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });`;
const bareMs = await measure('bare Fastify', ['-e', bare], process.env, '/ready');

const modes = [['embedded default (SQLite, no Redis)', { DATABASE_URL: '', REDIS_URL: '' }]];
if (process.env.DATABASE_URL) modes.push([`full mode (MariaDB${process.env.REDIS_URL ? ' + Redis' : ''})`, {}]);
for (const [label, overrides] of modes) {
  const sqlite = join(mkdtempSync(join(tmpdir(), 'coffee-cold-')), 'cold.sqlite');
  // A first start creates and migrates the database; the timed ones find it ready.
  const first = await startApi({ ...overrides, SQLITE_PATH: sqlite });
  const env = { ...process.env, ...first.env };
  await first.stop();
  const ms = await measure(`API ${label}`, [join(ROOT, 'dist/apps/api/src/main.js')], env, '/health/ready');
  console.log(`  ${(ms / Math.max(bareMs, 1)).toFixed(1)}× the bare start`);
  verdict(`cold start to the first ready 200, ${label}`, ms, { atMost: 1500, unit: ' ms' });
}
