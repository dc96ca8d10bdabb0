import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import {
  authConfigFrom,
  ConfigValidationError,
  currentEnvironment,
  databaseConfigFrom,
  loadDotEnvFile,
} from '@coffee/config';
import { buildDataSourceOptions, runMigrationsOnce } from '@coffee/database';
import { SubscriptionLifecycleHandler } from '@coffee/subscriptions';
import { isCommonPassword, PASSWORD_MAX, PASSWORD_MIN, UserAccountsService } from '@coffee/users';
import { CliModule } from './cli.module';

const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  migrate
      Applies pending migrations (what \`npm run migration:run\` does). Holds the database-wide
      migration lock: API and worker processes starting meanwhile wait for it, and it waits for them.
  create-sysadmin --email <email> [--name <name>] [--password <password>]
      Creates a platform admin if the email is not taken (never overwrites).
      The password may come from SYSADMIN_PASSWORD (or SYSADMIN_PASSWORD_FILE) instead of the command line.
  subscriptions-lifecycle [--now <ISO 8601>]
      Runs the subscriptions.lifecycle job once, now (the worker runs it every 5 minutes): ended
      trials and periods go past due (free plans renew), past due over 7 days becomes canceled.
      Prints the counts. Safe beside running workers. --now pins the time (default: the clock).
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
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX || isCommonPassword(password)) {
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
    case 'subscriptions-lifecycle':
      return subscriptionsLifecycle(rest);
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
