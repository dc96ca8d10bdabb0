import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Connection } from 'mysql2/promise';
import { MIGRATIONS } from '@coffee/database';
import { connectToDatabase } from '../support/database';
import { baseEnv, describeFull } from '../support/env';
import { eventually, spawnApp, waitFor, type RunningProcess } from '../support/processes';

const ROOT = join(__dirname, '..', '..');

// Three Nest processes boot at once on a loaded 2-core machine, then wait for each other.
jest.setTimeout(180_000);

/** Lines of pino JSON output at error level or above (50 error, 60 fatal). */
function errorLines(output: string): string[] {
  return output.split('\n').filter((line) => {
    try {
      return ((JSON.parse(line) as { level?: number }).level ?? 0) >= 50;
    } catch {
      return false;
    }
  });
}

/** `npm run migration:run` as a Kubernetes Job runs it: the built CLI's `migrate` command. */
function migrateCommand(env: Record<string, string>): Pick<RunningProcess, 'output' | 'exited'> {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'apps', 'cli', 'src', 'main.js'), 'migrate'], {
    cwd: ROOT,
    env: { ...process.env, ...baseEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { output: () => output, exited };
}

/**
 * MySQL DDL is not transactional: two processes running the same migration at
 * once leave errors and possibly half a schema. Every process that migrates at
 * start takes one database-wide lock first; the others wait, then find
 * nothing to do.
 */
describeFull('migrations run once however many processes start together', () => {
  let admin: Connection;
  let scratch: Connection | undefined;
  let database: string;
  let env: Record<string, string>;
  const processes: RunningProcess[] = [];

  beforeEach(async () => {
    // A fresh, empty schema; the app's user may create `<name>_*` databases (scripts/services.sh).
    admin = await connectToDatabase();
    const url = new URL(process.env.DATABASE_URL ?? '');
    database = `${url.pathname.slice(1)}_migrations_${randomBytes(4).toString('hex')}`;
    await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    url.pathname = `/${database}`;
    env = {
      DATABASE_URL: url.toString(),
      DB_MIGRATE_ON_START: 'true',
      LOG_LEVEL: 'info',
      // The worker must not take jobs queued by suites running beside this one.
      REDIS_KEY_PREFIX: `migrations-${randomBytes(4).toString('hex')}`,
    };
  });

  afterEach(async () => {
    await Promise.all(processes.splice(0).map((proc) => proc.stop()));
    await scratch?.end();
    scratch = undefined;
    await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await admin.end();
  });

  async function migrationCopies(): Promise<{ name: string; copies: number }[]> {
    const [rows] = await admin.query(`SELECT name, COUNT(*) AS copies FROM \`${database}\`.migrations GROUP BY name`);
    return (rows as { name: string; copies: number | string }[])
      .map((row) => ({ name: row.name, copies: Number(row.copies) }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  const everyMigrationOnce = MIGRATIONS.map((migration) => ({ name: migration.name, copies: 1 })).sort((a, b) =>
    a.name.localeCompare(b.name),
  );

  it('two APIs and a worker started at the same moment on an empty database: one migrates, all become ready, no errors', async () => {
    processes.push(
      ...(await Promise.all([
        spawnApp('api', env, { waitForLive: false }),
        spawnApp('api', env, { waitForLive: false }),
        spawnApp('worker', env, { waitForLive: false }),
      ])),
    );
    await Promise.all(processes.map((proc) => waitFor(proc, '/health/ready', 200, 1500)));

    expect(await migrationCopies()).toEqual(everyMigrationOnce);
    for (const proc of processes) {
      expect(errorLines(proc.output())).toEqual([]);
      expect(proc.output()).not.toContain('already exists');
      // Waiting for the lock is no slow query to warn about.
      expect(proc.output()).not.toContain('GET_LOCK');
    }
    // The lock holder applied everything; whoever came after it found nothing pending.
    const appliers = processes.filter((proc) => proc.output().includes(`Applied ${MIGRATIONS.length} migrations`));
    expect(appliers).toHaveLength(1);

    for (const proc of processes) {
      await proc.stop();
      await expect(proc.exited).resolves.toEqual({ code: 0, signal: null });
    }
  });

  it('`npm run migration:run` (a Kubernetes Job) waits for the lock held by a starting pod, then applies the migrations', async () => {
    // Stands in for a pod that is migrating: the same lock, held by a session of the test's own.
    scratch = await connectToDatabase();
    await scratch.query(`USE \`${database}\``);
    const [held] = await scratch.query('SELECT GET_LOCK(?, 0) AS acquired', [`${database}.migrations`]);
    expect(Number((held as { acquired: number }[])[0]?.acquired)).toBe(1);

    const job = migrateCommand(env);
    await eventually(
      () => Promise.resolve(job.output().includes("Waiting for another process's migrations") ? true : undefined),
      600,
    );
    const [tables] = await admin.query(`SHOW TABLES FROM \`${database}\``);
    expect(tables).toEqual([]);

    await scratch.query('SELECT RELEASE_LOCK(?)', [`${database}.migrations`]);
    await expect(job.exited).resolves.toEqual({ code: 0, signal: null });
    expect(job.output()).toContain(`Applied ${MIGRATIONS.length} migrations`);
    expect(await migrationCopies()).toEqual(everyMigrationOnce);

    const again = migrateCommand(env);
    await expect(again.exited).resolves.toEqual({ code: 0, signal: null });
    expect(again.output()).toContain('No pending migrations');
  });
});
