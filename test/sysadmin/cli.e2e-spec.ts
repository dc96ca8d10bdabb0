import request from 'supertest';
import { uniqueEmail } from '../factories/restaurant.factory';
import { baseEnv } from '../support/env';
import { runCli as cli } from '../support/processes';
import { startTestApi, type TestApi } from '../support/test-app';

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
