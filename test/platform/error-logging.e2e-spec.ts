import { randomBytes } from 'node:crypto';
import type { Connection } from 'mysql2/promise';
import request from 'supertest';
import { TEST_PASSWORD, uniqueEmail, uniqueSlug } from '../factories/restaurant.factory';
import { connectToDatabase } from '../support/database';
import { describeFull, SYSADMIN } from '../support/env';
import { eventually, spawnApp, type RunningProcess } from '../support/processes';

// Spawns the built API (Nest boot, argon2): slow on a loaded 2-core machine.
jest.setTimeout(90_000);

/**
 * An unexpected database error while inserting a user is logged the way an
 * operator sees it (the built API's stdout), without the statement's bound
 * parameters: the password hash and the email stay out of the logs.
 */
describeFull('database errors in the logs', () => {
  const trigger = `e2e_refuse_${randomBytes(4).toString('hex')}`;
  const doomedName = `Doomed ${randomBytes(4).toString('hex')}`;
  let db: Connection;
  let api: RunningProcess;

  beforeAll(async () => {
    db = await connectToDatabase();
    // Fails only this test's insert, as a disk-full or constraint surprise would; other suites are unaffected.
    await db.query(
      `CREATE TRIGGER ${trigger} BEFORE INSERT ON users FOR EACH ROW
       BEGIN
         IF NEW.name = '${doomedName}' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by an e2e trigger'; END IF;
       END`,
    );
    api = await spawnApp('api', { LOG_LEVEL: 'info' });
  });

  afterAll(async () => {
    await api?.stop();
    await db?.query(`DROP TRIGGER IF EXISTS ${trigger}`);
    await db?.end();
  });

  it('answers 500 INTERNAL and logs the error with no bound parameters, hash or email', async () => {
    const admin = await request(api.url).post('/api/v1/auth/login').send(SYSADMIN).expect(200);
    const ownerEmail = uniqueEmail('owner');
    await request(api.url)
      .post('/api/v1/sysadmin/restaurants')
      .set('Authorization', `Bearer ${accessTokenOf(admin)}`)
      .send({
        name: 'Log Café',
        slug: uniqueSlug('logs'),
        currency: 'USD',
        timezone: 'UTC',
        planCode: 'pro',
        owner: { email: ownerEmail, name: 'Olivia', password: TEST_PASSWORD },
      })
      .expect(201);
    const owner = await request(api.url)
      .post('/api/v1/auth/login')
      .send({ email: ownerEmail, password: TEST_PASSWORD })
      .expect(200);

    const email = uniqueEmail('doomed');
    const res = await request(api.url)
      .post('/api/v1/users')
      .set('Authorization', `Bearer ${accessTokenOf(owner)}`)
      .send({ email, name: doomedName, role: 'staff', password: TEST_PASSWORD })
      .expect(500);
    expect(res.body).toMatchObject({ code: 'INTERNAL', detail: 'An unexpected error occurred' });
    expect(JSON.stringify(res.body)).not.toContain('trigger');

    const line = await eventually(() =>
      Promise.resolve(
        api
          .output()
          .split('\n')
          .find((text) => text.includes('refused by an e2e trigger')),
      ),
    );
    expect(line).toContain(String(res.body.requestId));
    expect(line).not.toMatch(/\$argon2/);
    expect(line).not.toContain(email);
    expect(line).not.toContain(doomedName);
    expect(line).not.toContain(TEST_PASSWORD);
    expect(line).not.toContain('"parameters"');
  });
});

/** The access JWT from a sign-in answer's Set-Cookie (the bearer scheme accepts it). */
function accessTokenOf(res: request.Response): string {
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const access = cookies.find((cookie) => cookie.startsWith('access_token='));
  if (!access) throw new Error('no access_token cookie');
  return access.slice('access_token='.length).split(';')[0];
}
