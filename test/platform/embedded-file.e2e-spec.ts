import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import {
  call,
  categoryNames,
  createShop,
  describeEmbedded,
  embedded,
  newFile,
  refusedStart,
} from '../support/embedded';
import { eventually, spawnApp, waitFor } from '../support/processes';

/**
 * The embedded database file abused the way files are: a second process on it,
 * emptied or damaged by something else, a disk that refuses writes.
 */
// Spawns real processes (Nest boot, argon2): slow on a loaded 2-core machine.
jest.setTimeout(120_000);

describeEmbedded('embedded database: the file (the built API on one SQLite file)', () => {
  it('refuses a second process on the same file, naming the holder', async () => {
    const file = newFile();
    const first = await spawnApp('api', embedded(file));
    try {
      const second = await refusedStart(file);
      expect(second.code).not.toBe(0);
      expect(second.output).toContain(`The embedded database ${file} is in use by pid ${first.child.pid}`);
      expect((await fetch(`${first.url}/health/ready`)).status).toBe(200);
    } finally {
      await first.stop();
    }
    // A SIGKILLed holder's lock goes with it: embedded-crash.e2e-spec.ts restarts on its file ten times.
  });

  describe('a file that is not a whole database stops the start, untouched', () => {
    let healthy: Buffer;

    beforeAll(() => {
      // Any healthy SQLite file of a few pages will do (the app's own are tested in the crash suite).
      const file = newFile();
      const database = new DatabaseSync(file);
      database.exec('CREATE TABLE t (body TEXT)');
      const insert = database.prepare('INSERT INTO t (body) VALUES (?)');
      for (let i = 0; i < 40; i++) insert.run('x'.repeat(1000));
      database.close();
      healthy = readFileSync(file);
    });

    it.each([
      ['empty', () => Buffer.alloc(0), 'is empty (0 bytes)'],
      ['not SQLite', () => Buffer.from('{"restaurants": []}\n'.repeat(300)), 'is not a SQLite database'],
      ['truncated', () => healthy.subarray(0, 2 * 4096), 'is truncated'],
    ])('%s', async (_label, contents, message) => {
      const file = newFile();
      const bytes = contents();
      writeFileSync(file, bytes);
      const { code, output } = await refusedStart(file);
      expect(code).not.toBe(0);
      expect(output).toContain(`The embedded database ${file} ${message}`);
      expect(output).toContain('Restore it from a backup');
      expect(readFileSync(file).equals(bytes)).toBe(true);
    });
  });

  it('answers 503 STORAGE_UNAVAILABLE while the disk refuses writes, stores nothing, and recovers without a restart', async () => {
    const file = newFile();
    let proc = await spawnApp('api', embedded(file, { LOG_LEVEL: 'error' }));
    try {
      const token = await createShop(proc.url, 'disk-full');
      const categories = `${proc.url}/api/v1/menu/categories`;
      expect((await call(categories, 'POST', token, { name: 'Before' })).status).toBe(201);

      // A file-size limit of one byte makes every write to the database fail as a full disk would.
      execFileSync('prlimit', ['--pid', String(proc.child.pid), '--fsize=1:']);
      const refused = await call(categories, 'POST', token, { name: 'Refused' });
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({ code: 'STORAGE_UNAVAILABLE', status: 503 });
      const ready = await call(`${proc.url}/health/ready`, 'GET', undefined);
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ error: { storage: { status: 'down' } } });
      // Reads still work, and the refused write is not there.
      expect([...(await categoryNames(proc.url, token))]).toEqual(['Before']);

      execFileSync('prlimit', ['--pid', String(proc.child.pid), '--fsize=unlimited:']);
      await waitFor(proc, '/health/ready', 200);
      expect((await call(categories, 'POST', token, { name: 'After' })).status).toBe(201);
      expect(proc.output()).toContain('The embedded database cannot write its file: disk I/O error');

      await proc.stop();
      proc = await spawnApp('api', embedded(file));
      expect([...(await categoryNames(proc.url, token))].sort()).toEqual(['After', 'Before']);
      expect(statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      await proc.stop();
    }
  });

  it('backs the database up at start, online, into whole files a server can start on', async () => {
    const file = newFile();
    let proc = await spawnApp('api', embedded(file, { SQLITE_BACKUP_INTERVAL_MINUTES: '0' }));
    const token = await createShop(proc.url, 'backups');
    expect((await call(`${proc.url}/api/v1/menu/categories`, 'POST', token, { name: 'Kept' })).status).toBe(201);
    await proc.stop();
    expect(existsSync(join(dirname(file), 'backups'))).toBe(false);

    proc = await spawnApp('api', embedded(file, { SQLITE_BACKUP_KEEP: '1' }));
    const directory = join(dirname(file), 'backups');
    const backup = await eventually(() =>
      Promise.resolve(readdirSync(directory).find((name) => /^db-.+\.sqlite$/.test(name))),
    );
    await proc.stop();
    expect(statSync(join(directory, backup)).mode & 0o777).toBe(0o600);

    const restored = await spawnApp('api', embedded(join(directory, backup), { SQLITE_BACKUP_INTERVAL_MINUTES: '0' }));
    try {
      expect([...(await categoryNames(restored.url, token))]).toEqual(['Kept']);
    } finally {
      await restored.stop();
    }
  });
});
