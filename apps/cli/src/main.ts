// First of all: compiled code is cached on disk (under os.tmpdir()), so every
// later start (a scale-out, a restart, a CLI call) skips most JS compilation.
import { enableCompileCache } from 'node:module';
enableCompileCache();
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import {
  authConfigFrom,
  ConfigValidationError,
  currentEnvironment,
  currentNodeEnv,
  databaseConfigFrom,
  isProductionLike,
  loadDotEnvFile,
  redisConfigFrom,
} from '@coffee/config';
import { AppError } from '@coffee/common';
import { buildDataSourceOptions, runMigrationsOnce } from '@coffee/database';
import {
  BackfillSalesRollupsUseCase,
  ORDER_STATUSES,
  RebuildSalesRollupsUseCase,
  SalesRollupBackfillRepository,
} from '@coffee/orders';
import { BullMqJobQueue, QUEUES, type FailedJob, type QueueName } from '@coffee/queue';
import { isBusinessDate } from '@coffee/reports';
import { SubscriptionLifecycleHandler } from '@coffee/subscriptions';
import { isCommonPassword, PASSWORD_MAX, PASSWORD_MIN, UserAccountsService } from '@coffee/users';
import { CliModule } from './cli.module';
import { ReportsCliModule } from './reports-cli.module';
import { DEMO_SLUG } from './seed-demo/demo-cafe';
import { DemoSeedRefused, DemoSeeder, type SeedDemoResult } from './seed-demo/demo-seeder';
import { SeedDemoModule } from './seed-demo/seed-demo.module';

const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  migrate
      Applies pending migrations (what \`npm run migration:run\` does). Holds the database-wide
      migration lock: API and worker processes starting meanwhile wait for it, and it waits for them.
  create-sysadmin --email <email> [--name <name>] [--password <password>]
      Creates a platform admin if the email is not taken (never overwrites).
      The password may come from SYSADMIN_PASSWORD (or SYSADMIN_PASSWORD_FILE) instead of the command line.
  seed-demo [--slug <slug>] [--password <password>]
      Creates a demo café (slug ${DEMO_SLUG}) with an owner (owner@demo.coffee) and a staff member
      (staff@demo.coffee), a menu, tables and a day of orders, and prints their sign-ins. The passwords
      are random unless --password is given. Does nothing if the slug exists. Refused outside development
      and test (NODE_ENV).
  subscriptions-lifecycle [--now <ISO 8601>]
      Runs the subscriptions.lifecycle job once, now (the worker runs it every 5 minutes): ended
      trials and periods go past due (free plans renew), past due over 7 days becomes canceled.
      Prints the counts. Safe beside running workers. --now pins the time (default: the clock).
  reports:rebuild --restaurant <id> --from <YYYY-MM-DD> --to <YYYY-MM-DD>
      Recomputes a restaurant's sales rollups (what the dashboard and daily reports read) for the
      local dates from..to from its paid orders, one transaction per day; safe beside live payments.
      Prints the counts.
  reports:rebuild --pending [--dry-run]
      Runs the rollup backfills an upgrade queued (one per restaurant with paid orders from before
      the sales reports; the worker, or the API in embedded mode, runs them on its own at start and
      every 15 minutes) here, one after another, removing each once done; safe beside running
      workers. Prints one line per backfill. --dry-run only lists them.
  jobs:failed [--queue <${QUEUES.join('|')}>] [--limit <n>]
      Lists the jobs that used up their attempts, most recently failed first (default limit 20,
      at most 100): id, name, attempts made, when the last attempt ended and its error. Full mode
      only (REDIS_URL); in embedded mode jobs live in the API process: GET /api/v1/sysadmin/jobs/failed.
`;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function createSysadmin(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { email: { type: 'string' }, name: { type: 'string' }, password: { type: 'string' } },
  });
  const auth = authConfigFrom(currentEnvironment());
  const email = (values.email ?? auth.sysadminEmail ?? '').trim().toLowerCase();
  const password = values.password ?? auth.sysadminPassword ?? '';
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) fail('create-sysadmin: --email must be an email address');
  if (!isStrongPassword(password)) {
    fail(`create-sysadmin: the password must be ${PASSWORD_MIN}-${PASSWORD_MAX} characters and not a common one`);
  }
  const app = await NestFactory.createApplicationContext(CliModule, { logger: ['error', 'warn'] });
  try {
    const created = await app.get(UserAccountsService).ensureSysadmin(email, values.name ?? 'Platform admin', password);
    process.stdout.write(
      created ? `Created sysadmin ${email}\n` : `A user with email ${email} already exists; nothing changed\n`,
    );
  } finally {
    await app.close();
  }
}

function isStrongPassword(password: string): boolean {
  return password.length >= PASSWORD_MIN && password.length <= PASSWORD_MAX && !isCommonPassword(password);
}

function describeSeed(result: SeedDemoResult): string {
  if (!result.created) {
    return (
      `The demo café "${result.slug}" already exists; nothing changed.\n` +
      `Its accounts are ${result.emails.owner} and ${result.emails.staff}, with the passwords printed when it was created.\n`
    );
  }
  const { restaurant, counts } = result;
  const orders = ORDER_STATUSES.filter((status) => counts.orders[status])
    .map((status) => `${counts.orders[status]} ${status}`)
    .join(', ');
  const width = Math.max(...result.accounts.map((account) => account.email.length));
  return [
    `Created the demo café "${restaurant.name}" (slug ${result.slug}, plan ${restaurant.planCode}, ${restaurant.currency}, ${restaurant.timezone}):`,
    `  ${counts.categories} menu categories, ${counts.items} items, ${counts.tables} tables, orders: ${orders}.`,
    'Sign in (POST /api/v1/auth/login, or /docs) with:',
    ...result.accounts.map(
      (account) => `  ${account.role.padEnd(5)}  ${account.email.padEnd(width)}  ${account.password}`,
    ),
    'Keep them: they are shown only this once.',
    '',
  ].join('\n');
}

async function seedDemo(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { slug: { type: 'string', default: DEMO_SLUG }, password: { type: 'string' } },
  });
  const { slug, password } = values;
  if (!/^[a-z0-9-]{3,63}$/.test(slug)) fail('seed-demo: --slug must be 3-63 characters of a-z, 0-9 and -');
  if (password !== undefined && !isStrongPassword(password)) {
    fail(`seed-demo: the password must be ${PASSWORD_MIN}-${PASSWORD_MAX} characters and not a common one`);
  }
  const app = await NestFactory.createApplicationContext(SeedDemoModule, { logger: ['error', 'warn'] });
  let refused: string | undefined;
  try {
    process.stdout.write(describeSeed(await app.get(DemoSeeder).seed({ slug, password })));
  } catch (error) {
    if (!(error instanceof DemoSeedRefused)) throw error;
    refused = error.message;
  } finally {
    await app.close();
  }
  if (refused) fail(`seed-demo: ${refused}`);
}

async function subscriptionsLifecycle(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { now: { type: 'string' } } });
  if (values.now !== undefined && Number.isNaN(new Date(values.now).getTime())) {
    fail('subscriptions-lifecycle: --now must be an ISO 8601 date, e.g. 2026-01-31T00:00:00Z');
  }
  const app = await NestFactory.createApplicationContext(CliModule, { logger: ['error', 'warn'] });
  try {
    const counts = await app.get(SubscriptionLifecycleHandler).handle({ now: values.now });
    process.stdout.write(`${JSON.stringify(counts)}\n`);
  } finally {
    await app.close();
  }
}

async function reportsRebuild(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      restaurant: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      pending: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
    },
  });
  const { restaurant, from, to, pending } = values;
  const dryRun = values['dry-run'] === true;
  if (pending) {
    if (restaurant !== undefined || from !== undefined || to !== undefined) {
      fail('reports:rebuild: --pending takes no --restaurant, --from or --to');
    }
    return pendingBackfills(dryRun);
  }
  if (dryRun) fail('reports:rebuild: --dry-run goes with --pending');
  if (!restaurant || !/^[0-9a-f-]{36}$/i.test(restaurant))
    fail('reports:rebuild: --restaurant must be a restaurant id');
  if (!from || !to || !isBusinessDate(from) || !isBusinessDate(to) || from > to) {
    fail('reports:rebuild: --from and --to must be dates written YYYY-MM-DD, from not after to');
  }
  const app = await NestFactory.createApplicationContext(ReportsCliModule, { logger: ['error', 'warn'] });
  try {
    const result = await app.get(RebuildSalesRollupsUseCase).run(restaurant.toLowerCase(), from, to);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await app.close();
  }
}

async function pendingBackfills(dryRun: boolean): Promise<void> {
  const app = await NestFactory.createApplicationContext(ReportsCliModule, { logger: ['error', 'warn'] });
  try {
    const backfills = app.get(SalesRollupBackfillRepository);
    const run = app.get(BackfillSalesRollupsUseCase);
    let count = 0;
    if (dryRun) process.stdout.write(['restaurantId', 'from', 'to', 'restarts', 'queuedAt'].join('\t') + '\n');
    for await (const { restaurantId, from, to, restarts, queuedAt } of backfills.all()) {
      count += 1;
      if (dryRun) {
        process.stdout.write([restaurantId, from, to, String(restarts), queuedAt.toISOString()].join('\t') + '\n');
        continue;
      }
      const result = await run.run(restaurantId, from, to);
      process.stdout.write(`${JSON.stringify({ restaurantId, from, to, ...result })}\n`);
    }
    process.stdout.write(`${count} pending backfill(s)${dryRun ? '' : ' run'}\n`);
  } finally {
    await app.close();
  }
}

function describeFailed(jobs: FailedJob[], total: number): string {
  const lines = jobs.map((job) =>
    [job.id, job.name, String(job.attemptsMade), job.finishedOn ?? '-', job.failedReason.replace(/\s+/g, ' ')].join(
      '\t',
    ),
  );
  return [
    ['id', 'name', 'attemptsMade', 'finishedOn', 'failedReason'].join('\t'),
    ...lines,
    `${jobs.length} of ${total} failed job(s)`,
    '',
  ].join('\n');
}

async function failedJobs(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { queue: { type: 'string' }, limit: { type: 'string' } } });
  const queue = values.queue;
  if (queue !== undefined && !(QUEUES as readonly string[]).includes(queue)) {
    fail(`jobs:failed: --queue must be one of ${QUEUES.join(', ')}`);
  }
  const limit = values.limit === undefined ? 20 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    fail('jobs:failed: --limit must be an integer from 1 to 100');
  const redis = redisConfigFrom(currentEnvironment());
  if (!redis.enabled) {
    fail(
      'jobs:failed: needs Redis (REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES: full mode). In embedded mode jobs live in the API process: GET /api/v1/sysadmin/jobs/failed',
    );
  }
  const jobs = new BullMqJobQueue(redis);
  let unavailable: string | undefined;
  try {
    const { items, total } = await jobs.failed({
      ...(queue && { queue: queue as QueueName }),
      limit,
      offset: 0,
    });
    process.stdout.write(describeFailed(items, total));
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    unavailable = error.message;
  } finally {
    await jobs.onApplicationShutdown();
  }
  if (unavailable) fail(`jobs:failed: ${unavailable}`);
}

async function migrate(): Promise<void> {
  // Debug lines (TypeORM's schema checks) are noise in a deployment job's log.
  Logger.overrideLogger(['log', 'warn', 'error', 'fatal']);
  // Migrations use the QueryRunner API only: no entities needed.
  const dataSource = new DataSource(buildDataSourceOptions(databaseConfigFrom(currentEnvironment())));
  await dataSource.initialize();
  try {
    await runMigrationsOnce(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  loadDotEnvFile();
  // Before validation: a production configuration's own problems must not hide this refusal.
  const nodeEnv = currentNodeEnv();
  if (command === 'seed-demo' && isProductionLike(nodeEnv)) {
    fail(
      `seed-demo: refused with NODE_ENV=${nodeEnv}: demo accounts with known emails belong on development and test databases only`,
    );
  }
  try {
    currentEnvironment();
  } catch (error) {
    if (error instanceof ConfigValidationError) fail(error.message);
    throw error;
  }
  switch (command) {
    case 'create-sysadmin':
      return createSysadmin(rest);
    case 'migrate':
      return migrate();
    case 'seed-demo':
      return seedDemo(rest);
    case 'subscriptions-lifecycle':
      return subscriptionsLifecycle(rest);
    case 'reports:rebuild':
      return reportsRebuild(rest);
    case 'jobs:failed':
      return failedJobs(rest);
    default:
      process.stdout.write(USAGE);
      if (command && command !== 'help' && command !== '--help') process.exit(2);
  }
}

main().then(
  // Exit explicitly: a client still reconnecting (Redis) must not keep a finished command alive.
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
