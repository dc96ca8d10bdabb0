import { spawn } from 'node:child_process';
import { join } from 'node:path';
import request from 'supertest';
import { uniqueEmail } from '../factories/restaurant.factory';
import { baseEnv } from '../support/env';
import { startTestApi, type TestApi } from '../support/test-app';

const ROOT = join(__dirname, '..', '..');

function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'apps', 'cli', 'src', 'main.js'), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

// Spawns real processes (Nest boot, argon2): slow on a loaded 2-core machine.
jest.setTimeout(90_000);

describe('npm run cli -- create-sysadmin', () => {
  const env = baseEnv();
  let api: TestApi | undefined;

  afterAll(async () => {
    await api?.close();
  });

  it('creates a platform admin who can sign in, and never overwrites one', async () => {
    const email = uniqueEmail('ops');
    const first = await cli(['create-sysadmin', '--email', email, '--password', 'ops-Password-2026!'], env);
    expect(first).toMatchObject({ code: 0 });
    expect(first.output).toContain(`Created sysadmin ${email}`);

    const again = await cli(['create-sysadmin', '--email', email, '--password', 'another-Password-2027!'], env);
    expect(again.code).toBe(0);
    expect(again.output).toContain('already exists');

    api = await startTestApi({ SQLITE_PATH: env.SQLITE_PATH });
    const login = await request(api.server)
      .post('/api/v1/auth/login')
      .send({ email, password: 'ops-Password-2026!' })
      .expect(200);
    expect(login.body.user).toMatchObject({ role: 'sysadmin', restaurantId: null });
    await request(api.server)
      .post('/api/v1/auth/login')
      .send({ email, password: 'another-Password-2027!' })
      .expect(401);
  });

  it('refuses a weak password or a missing email with exit code 1', async () => {
    expect((await cli(['create-sysadmin', '--email', uniqueEmail('ops'), '--password', 'password123'], env)).code).toBe(
      1,
    );
    const withoutEmail = { ...env, SYSADMIN_EMAIL: '' };
    expect((await cli(['create-sysadmin', '--password', 'ops-Password-2026!'], withoutEmail)).code).toBe(1);
    expect((await cli(['no-such-command'], env)).code).toBe(2);
  });
});
