import { signedInCrew } from '../factories/crew.factory';
import { bearer } from '../support/session';
import { startTestApi, type TestApi } from '../support/test-app';

describe('users: a role change applies to tokens already issued', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });

  afterAll(async () => {
    await api.close();
  });

  it('a manager demoted to staff gets 403 on GET /users with the old token, by cookie and bearer', async () => {
    const crew = await signedInCrew(api.app, api.server);
    await crew.manager.get('/api/v1/users').expect(200);
    await crew.owner.patch(`/api/v1/users/${crew.managerId}`, { role: 'staff' }).expect(200);
    const byCookie = await crew.manager.get('/api/v1/users').expect(403);
    expect(byCookie.body.code).toBe('FORBIDDEN');
    await bearer(api.server, crew.manager.accessToken).get('/api/v1/users').expect(403);
    // Still signed in, now as staff.
    const me = await crew.manager.get('/api/v1/auth/me').expect(200);
    expect(me.body.role).toBe('staff');
  });

  it('staff promoted to manager may list users with the token they already hold', async () => {
    const crew = await signedInCrew(api.app, api.server);
    await crew.staff.get('/api/v1/users').expect(403);
    await crew.owner.patch(`/api/v1/users/${crew.staffId}`, { role: 'manager' }).expect(200);
    await crew.staff.get('/api/v1/users').expect(200);
  });

  it('a deactivated manager’s token answers 401 on the next request', async () => {
    const crew = await signedInCrew(api.app, api.server);
    await crew.owner.patch(`/api/v1/users/${crew.managerId}`, { isActive: false }).expect(200);
    const res = await crew.manager.get('/api/v1/users').expect(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
  });
});
