import type { DataSource } from 'typeorm';
import { migrationLockName, MigrationsFailedError, runMigrationsOnce, withMigrationLock } from './migrations-runner';

/** A session that answers GET_LOCK from `answers` in turn and records every statement. */
function fakeSession(answers: (number | string | null)[], release: () => Promise<unknown> = () => Promise.resolve([])) {
  const statements: string[] = [];
  const runner = {
    query: jest.fn((sql: string, parameters: unknown[] = []) => {
      statements.push(`${sql} ${JSON.stringify(parameters)}`);
      if (sql.startsWith('SELECT GET_LOCK')) return Promise.resolve([{ acquired: answers.shift() }]);
      return release();
    }),
  };
  return { runner, statements };
}

function fakeLogger() {
  return { log: jest.fn(), warn: jest.fn() };
}

describe('withMigrationLock', () => {
  it('takes a free lock at once, runs the work, then releases it, saying nothing about waiting', async () => {
    const { runner, statements } = fakeSession([1]);
    const logger = fakeLogger();
    const work = jest.fn(() => Promise.resolve('done'));

    await expect(withMigrationLock(runner, 'coffee.migrations', 120, logger, work)).resolves.toBe('done');

    expect(statements).toEqual([
      'SELECT GET_LOCK(?, ?) AS acquired ["coffee.migrations",0]',
      'SELECT RELEASE_LOCK(?) ["coffee.migrations"]',
    ]);
    expect(work).toHaveBeenCalledTimes(1);
    expect(logger.log).not.toHaveBeenCalled();
  });

  it('when another process holds it: says so at info level, waits up to the timeout, then runs the work', async () => {
    // mysql2 may return GET_LOCK's BIGINT as a string.
    const { runner, statements } = fakeSession([0, '1']);
    const logger = fakeLogger();
    const work = jest.fn(() => {
      expect(statements).toHaveLength(2);
      return Promise.resolve([]);
    });

    await withMigrationLock(runner, 'coffee.migrations', 120, logger, work);

    expect(logger.log).toHaveBeenCalledWith(expect.stringContaining("Waiting for another process's migrations"));
    expect(logger.log).toHaveBeenCalledWith(expect.stringContaining('"coffee.migrations"'));
    expect(statements).toEqual([
      'SELECT GET_LOCK(?, ?) AS acquired ["coffee.migrations",0]',
      'SELECT GET_LOCK(?, ?) AS acquired ["coffee.migrations",120]',
      'SELECT RELEASE_LOCK(?) ["coffee.migrations"]',
    ]);
    expect(work).toHaveBeenCalledTimes(1);
  });

  it('gives up after the timeout with an error naming the lock and what to do, without running the work', async () => {
    const { runner, statements } = fakeSession([0, 0]);
    const work = jest.fn(() => Promise.resolve());

    const failure = withMigrationLock(runner, 'coffee.migrations', 120, fakeLogger(), work);

    await expect(failure).rejects.toThrow(MigrationsFailedError);
    await expect(failure).rejects.toThrow(/120 s .*"coffee\.migrations".*IS_USED_LOCK\('coffee\.migrations'\)/);
    expect(work).not.toHaveBeenCalled();
    // Never release a lock this session does not hold.
    expect(statements.some((statement) => statement.startsWith('SELECT RELEASE_LOCK'))).toBe(false);
  });

  it('refuses when the server answers NULL (it could not take the lock)', async () => {
    const { runner } = fakeSession([null]);
    await expect(withMigrationLock(runner, 'coffee.migrations', 120, fakeLogger(), jest.fn())).rejects.toThrow(
      MigrationsFailedError,
    );
  });

  it('releases the lock when the work fails, and passes the failure on', async () => {
    const { runner, statements } = fakeSession([1]);
    const failure = new Error("Table 'restaurants' already exists");

    await expect(
      withMigrationLock(runner, 'coffee.migrations', 120, fakeLogger(), () => Promise.reject(failure)),
    ).rejects.toBe(failure);

    expect(statements.at(-1)).toBe('SELECT RELEASE_LOCK(?) ["coffee.migrations"]');
  });

  it('keeps the result of the work when the release fails (the lock ends with the session anyway)', async () => {
    const { runner } = fakeSession([1], () => Promise.reject(new Error('connection lost')));
    const logger = fakeLogger();

    await expect(withMigrationLock(runner, 'coffee.migrations', 120, logger, () => Promise.resolve(3))).resolves.toBe(
      3,
    );

    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('connection lost'));
  });
});

describe('migrationLockName', () => {
  it('is the database name with a suffix, so each database has its own lock', () => {
    expect(migrationLockName('coffee')).toBe('coffee.migrations');
    expect(migrationLockName('coffee_staging')).toBe('coffee_staging.migrations');
  });

  it('stays within the 64 characters MySQL allows, and distinct, for the longest database names', () => {
    const long = 'a'.repeat(63);
    expect(migrationLockName(`${long}1`).length).toBeLessThanOrEqual(64);
    expect(migrationLockName(`${long}1`)).not.toBe(migrationLockName(`${long}2`));
  });
});

describe('runMigrationsOnce on the embedded database', () => {
  it('runs the migrations directly, each in its own transaction, without a lock', async () => {
    const runMigrations = jest.fn(() => Promise.resolve([{ name: 'CreateThings1' }]));
    const createQueryRunner = jest.fn();
    const dataSource = { driver: { options: { type: 'better-sqlite3' } }, runMigrations, createQueryRunner };
    const logger = fakeLogger();

    const applied = await runMigrationsOnce(dataSource as unknown as DataSource, { logger });

    expect(applied).toEqual([{ name: 'CreateThings1' }]);
    expect(runMigrations).toHaveBeenCalledWith({ transaction: 'each' });
    expect(createQueryRunner).not.toHaveBeenCalled();
    expect(logger.log).toHaveBeenCalledWith('Applied 1 migration: CreateThings1');
  });
});
