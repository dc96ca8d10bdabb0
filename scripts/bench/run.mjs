// npm run bench [-- <name>]: one case (scripts/bench/<name>.mjs) against the
// built API, or, without a name, every case of the suite in turn, each in its
// own process, then a summary of every figure against its target.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The suite, in the order it runs; `db`: needs MariaDB (DATABASE_URL). */
const SUITE = [
  { name: 'cold-start' },
  { name: 'public-menu' },
  { name: 'orders-list', db: true },
  { name: 'orders-placement', db: true },
  { name: 'orders-paging', db: true },
  { name: 'reports', db: true },
  { name: 'body-flood' },
  { name: 'embedded-writes' },
];
/** Run by name only: long by design, or a diagnostic rather than a figure with a target. */
const BY_NAME_ONLY = ['soak', 'cpu-per-request'];

const name = process.argv[2];
const known = [...SUITE.map((entry) => entry.name), ...BY_NAME_ONLY];
if (name !== undefined) {
  if (!known.includes(name)) {
    console.error(`usage: npm run bench [-- <${known.join('|')}>]`);
    process.exit(2);
  }
  await import(`./${name}.mjs`);
} else {
  const results = join(mkdtempSync(join(tmpdir(), 'coffee-bench-')), 'results.jsonl');
  const skipped = [];
  for (const entry of SUITE) {
    if (entry.db && !process.env.DATABASE_URL) {
      skipped.push(entry.name);
      continue;
    }
    console.log(`\n=== ${entry.name}`);
    const run = spawnSync(process.execPath, [join(import.meta.dirname, `${entry.name}.mjs`)], {
      stdio: 'inherit',
      env: { ...process.env, BENCH_RESULTS: results },
    });
    if (run.status !== 0) console.log(`${entry.name} failed (exit ${run.status ?? run.signal})`);
  }
  const rows = readFileSync(results, { flag: 'a+', encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  console.log('\n=== summary');
  const width = Math.max(...rows.map((row) => row.label.length));
  for (const row of rows)
    console.log(
      `${row.label.padEnd(width)}  ${row.value.padStart(10)}  target ${row.target.padEnd(10)}  ${row.ok ? 'PASS' : 'MISS'}`,
    );
  if (skipped.length > 0)
    console.log(`skipped without MariaDB: ${skipped.join(', ')} (eval "$(bash scripts/services.sh up)" first)`);
}
