import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { signedInCrew } from '../factories/crew.factory';
import { TEST_PASSWORD, uniqueEmail } from '../factories/restaurant.factory';
import { SYSADMIN } from '../support/env';
import { BrowserSession, bearer } from '../support/session';
import { startTestApi, type TestApi } from '../support/test-app';

describe('users: role matrix, tenant isolation, validation', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });

  afterAll(async () => {
    await api.close();
  });

  const crew = () => signedInCrew(api.app, api.server);

  const newUser = (role: string) => ({ email: uniqueEmail(role), name: `New ${role}`, role, password: TEST_PASSWORD });

  describe('create and read', () => {
    it('creates a user (201) with the contract shape, email stored lower-case', async () => {
      const { owner, cafe } = await crew();
      const email = uniqueEmail('Mixed.Case').toUpperCase();
      const res = await owner
        .post('/api/v1/users', { email, name: '  Ana  ', role: 'staff', password: TEST_PASSWORD })
        .expect(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        email: email.toLowerCase(),
        name: 'Ana',
        role: 'staff',
        isActive: true,
        restaurantId: cafe.restaurant.id,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        lastLoginAt: null,
      });
      const fetched = await owner.get(`/api/v1/users/${res.body.id}`).expect(200);
      expect(fetched.body).toEqual(res.body);
    });

    it('answers 409 CONFLICT for an email taken anywhere on the platform, whatever its case', async () => {
      const a = await crew();
      const b = await crew();
      const email = uniqueEmail('dup');
      await a.owner.post('/api/v1/users', { ...newUser('staff'), email }).expect(201);
      const clash = await b.owner
        .post('/api/v1/users', { ...newUser('staff'), email: email.toUpperCase() })
        .expect(409);
      expect(clash.body.code).toBe('CONFLICT');
    });

    it('refuses mass assignment and bad values with 422, storing nothing', async () => {
      const { owner } = await crew();
      const before = (await owner.get('/api/v1/users?limit=100').expect(200)).body.meta.total;
      const attempts = [
        { ...newUser('staff'), restaurantId: randomUUID() },
        { ...newUser('staff'), id: randomUUID() },
        { ...newUser('staff'), isActive: false },
        { ...newUser('staff'), createdAt: '2020-01-01T00:00:00Z' },
        { ...newUser('staff'), role: 'sysadmin' },
        { ...newUser('staff'), role: 'emperor' },
        { ...newUser('staff'), email: 'not-an-email' },
        { ...newUser('staff'), password: 'short' },
        { ...newUser('staff'), password: 'password123' },
        { ...newUser('staff'), name: '' },
      ];
      for (const body of attempts) {
        const res = await owner.post('/api/v1/users', body);
        expect(res.status).toBe(422);
        expect(res.body.code).toBe('VALIDATION_FAILED');
        expect(res.body.errors.length).toBeGreaterThan(0);
      }
      const patch = await owner
        .patch(`/api/v1/users/${owner.userId}`, { restaurantId: randomUUID(), email: 'x@example.test' })
        .expect(422);
      expect(patch.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['email', 'restaurantId']);
      expect((await owner.get('/api/v1/users?limit=100').expect(200)).body.meta.total).toBe(before);
    });
  });

  describe('role matrix', () => {
    it('owner manages everyone, including managers and other owners', async () => {
      const { owner, managerId } = await crew();
      await owner.post('/api/v1/users', newUser('owner')).expect(201);
      await owner.post('/api/v1/users', newUser('manager')).expect(201);
      await owner.patch(`/api/v1/users/${managerId}`, { role: 'staff' }).expect(200);
      await owner.patch(`/api/v1/users/${managerId}`, { role: 'manager', name: 'Max M.' }).expect(200);
      await owner.delete(`/api/v1/users/${managerId}`).expect(204);
      expect((await owner.get(`/api/v1/users/${managerId}`).expect(200)).body.isActive).toBe(false);
    });

    it('manager creates, edits and deactivates staff only, and never raises a role', async () => {
      const { manager, staffId, managerId, owner } = await crew();
      const created = await manager.post('/api/v1/users', newUser('staff')).expect(201);
      await manager.patch(`/api/v1/users/${staffId}`, { name: 'Samantha' }).expect(200);
      for (const role of ['manager', 'owner']) {
        expect((await manager.post('/api/v1/users', newUser(role))).body.code).toBe('FORBIDDEN');
        expect((await manager.patch(`/api/v1/users/${staffId}`, { role })).status).toBe(403);
      }
      const ownerId = owner.userId;
      expect((await manager.patch(`/api/v1/users/${ownerId}`, { name: 'Boss' })).status).toBe(403);
      expect((await manager.delete(`/api/v1/users/${ownerId}`)).status).toBe(403);
      const otherManager = await owner.post('/api/v1/users', newUser('manager')).expect(201);
      expect((await manager.delete(`/api/v1/users/${otherManager.body.id}`)).status).toBe(403);
      expect((await manager.patch(`/api/v1/users/${managerId}`, { role: 'owner' })).status).toBe(403);
      await manager.delete(`/api/v1/users/${created.body.id}`).expect(204);
      await manager.get('/api/v1/users').expect(200);
    });

    it('staff get 403 on every /users route', async () => {
      const { staff, staffId } = await crew();
      for (const res of [
        await staff.get('/api/v1/users'),
        await staff.get(`/api/v1/users/${staffId}`),
        await staff.post('/api/v1/users', newUser('staff')),
        await staff.patch(`/api/v1/users/${staffId}`, { name: 'Me' }),
        await staff.delete(`/api/v1/users/${staffId}`),
      ]) {
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('FORBIDDEN');
      }
      await staff.get('/api/v1/auth/me').expect(200);
    });

    it('nobody demotes or deactivates themselves', async () => {
      const { owner, manager, managerId } = await crew();
      expect((await owner.patch(`/api/v1/users/${owner.userId}`, { role: 'manager' })).status).toBe(403);
      expect((await owner.delete(`/api/v1/users/${owner.userId}`)).status).toBe(403);
      expect((await owner.patch(`/api/v1/users/${owner.userId}`, { isActive: false })).status).toBe(403);
      expect((await manager.patch(`/api/v1/users/${managerId}`, { name: 'Still me' })).status).toBe(403);
      await owner.patch(`/api/v1/users/${owner.userId}`, { name: 'Olivia O.' }).expect(200);
    });

    it('a sysadmin gets 403 on tenant routes', async () => {
      const sysadmin = await BrowserSession.login(api.server, SYSADMIN.email, SYSADMIN.password);
      const res = await sysadmin.get('/api/v1/users').expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
      await sysadmin.get('/api/v1/auth/me').expect(200);
    });
  });

  describe('deactivation', () => {
    it('refuses sign-in like a wrong password and ends refresh at once', async () => {
      const { owner, staff, staffId } = await crew();
      const staffEmail = (await owner.get(`/api/v1/users/${staffId}`)).body.email as string;
      await owner.delete(`/api/v1/users/${staffId}`).expect(204);
      const login = await request(api.server)
        .post('/api/v1/auth/login')
        .send({ email: staffEmail, password: TEST_PASSWORD })
        .expect(401);
      expect(login.body.code).toBe('INVALID_CREDENTIALS');
      expect((await staff.refresh()).status).toBe(401);
      await owner.patch(`/api/v1/users/${staffId}`, { isActive: true }).expect(200);
      await request(api.server)
        .post('/api/v1/auth/login')
        .send({ email: staffEmail, password: TEST_PASSWORD })
        .expect(200);
    });
  });

  describe('tenant isolation', () => {
    it('answers 404 for every :id route given another restaurant’s user, and changes nothing', async () => {
      const mine = await crew();
      const theirs = await crew();
      const foreignId = theirs.staffId;
      const routes = [
        () => mine.owner.get(`/api/v1/users/${foreignId}`),
        () => mine.owner.patch(`/api/v1/users/${foreignId}`, { name: 'Hijacked' }),
        () => mine.owner.delete(`/api/v1/users/${foreignId}`),
        () => mine.manager.get(`/api/v1/users/${foreignId}`),
        () => mine.manager.patch(`/api/v1/users/${foreignId}`, { isActive: false }),
      ];
      for (const call of routes) {
        const res = await call();
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('NOT_FOUND');
      }
      const untouched = await theirs.owner.get(`/api/v1/users/${foreignId}`).expect(200);
      expect(untouched.body).toMatchObject({ name: 'Sam Staff', isActive: true });
      const unknown = await mine.owner.get(`/api/v1/users/${randomUUID()}`).expect(404);
      const malformed = await mine.owner.get('/api/v1/users/not-a-uuid').expect(404);
      expect(unknown.body.code).toBe('NOT_FOUND');
      expect(malformed.body.code).toBe('NOT_FOUND');
    });

    it('lists only the caller’s restaurant', async () => {
      const mine = await crew();
      const theirs = await crew();
      const list = await mine.owner.get('/api/v1/users?limit=100').expect(200);
      const ids = (list.body.items as { id: string; restaurantId: string }[]).map((u) => u.restaurantId);
      expect(new Set(ids)).toEqual(new Set([mine.cafe.restaurant.id]));
      expect(list.body.items.map((u: { id: string }) => u.id)).not.toContain(theirs.staffId);
    });
  });

  describe('list: pagination, filters, sort', () => {
    it('pages with the contract meta and filters by role, isActive and q', async () => {
      const { owner } = await crew();
      for (let i = 0; i < 3; i++)
        await owner.post('/api/v1/users', { ...newUser('staff'), name: `Barista ${i}` }).expect(201);
      const page = await owner.get('/api/v1/users?limit=2&offset=1&sort=name').expect(200);
      expect(page.body.meta).toEqual({ limit: 2, offset: 1, total: 6, hasMore: true, nextCursor: null });
      expect(page.body.items).toHaveLength(2);
      const last = await owner.get('/api/v1/users?limit=2&offset=4').expect(200);
      expect(last.body.meta.hasMore).toBe(false);
      const staffOnly = await owner.get('/api/v1/users?role=staff&limit=100').expect(200);
      expect(staffOnly.body.meta.total).toBe(4);
      expect(staffOnly.body.items.every((u: { role: string }) => u.role === 'staff')).toBe(true);
      const byName = await owner.get('/api/v1/users?q=barista').expect(200);
      expect(byName.body.meta.total).toBe(3);
      const defaults = await owner.get('/api/v1/users').expect(200);
      expect(defaults.body.meta).toMatchObject({ limit: 20, offset: 0 });
      const sorted = await owner.get('/api/v1/users?sort=-name&limit=100').expect(200);
      const names = sorted.body.items.map((u: { name: string }) => u.name);
      expect(names).toEqual([...names].sort().reverse());
    });

    it('filters on isActive', async () => {
      const { owner, staffId } = await crew();
      await owner.delete(`/api/v1/users/${staffId}`).expect(204);
      const inactive = await owner.get('/api/v1/users?isActive=false').expect(200);
      expect(inactive.body.items.map((u: { id: string }) => u.id)).toEqual([staffId]);
      expect((await owner.get('/api/v1/users?isActive=true')).body.meta.total).toBe(2);
    });

    it('answers 422 for limits outside 1–100, a bad offset or an undocumented sort', async () => {
      const { owner } = await crew();
      for (const query of [
        'limit=0',
        'limit=101',
        'limit=abc',
        'offset=-1',
        'sort=passwordHash',
        'sort=-role',
        'role=sysadmin',
        'isActive=maybe',
      ]) {
        const res = await owner.get(`/api/v1/users?${query}`);
        expect(res.status).toBe(422);
        expect(res.body.code).toBe('VALIDATION_FAILED');
      }
    });
  });

  describe('API keys on user routes', () => {
    it('an API key, whatever its scopes, gets 403 on /users', async () => {
      const { owner } = await crew();
      const key = await owner
        .post('/api/v1/api-keys', { name: 'POS', scopes: ['menu:read', 'orders:read', 'orders:write', 'reports:read'] })
        .expect(201);
      const res = await bearer(api.server, key.body.key).get('/api/v1/users');
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    });
  });
});
