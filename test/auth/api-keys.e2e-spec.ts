import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { seedRestaurant, TEST_PASSWORD, uniqueEmail } from '../factories/restaurant.factory';
import { eventually } from '../support/processes';
import { BrowserSession, bearer } from '../support/session';
import { startTestApi, type TestApi } from '../support/test-app';

describe('API keys for integrators', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });

  afterAll(async () => {
    await api.close();
  });

  async function ownerSession(): Promise<BrowserSession> {
    const cafe = await seedRestaurant(api.app);
    return BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
  }

  it('shows the full key once, then only its prefix, and records its last use', async () => {
    const owner = await ownerSession();
    const created = await owner
      .post('/api/v1/api-keys', { name: 'POS terminal', scopes: ['orders:read', 'menu:read'] })
      .expect(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      name: 'POS terminal',
      scopes: ['orders:read', 'menu:read'],
      prefix: expect.stringMatching(/^ck_live_/),
      key: expect.stringMatching(/^ck_live_[A-Za-z0-9_-]{43}$/),
      createdAt: expect.any(String),
    });
    expect(created.body.key.startsWith(created.body.prefix)).toBe(true);

    const list = await owner.get('/api/v1/api-keys').expect(200);
    expect(list.body.meta).toMatchObject({ total: 1, limit: 20, offset: 0, hasMore: false });
    expect(list.body.items[0]).toEqual({
      id: created.body.id,
      name: 'POS terminal',
      scopes: ['orders:read', 'menu:read'],
      prefix: created.body.prefix,
      createdAt: created.body.createdAt,
      lastUsedAt: null,
    });
    expect(JSON.stringify(list.body)).not.toContain(created.body.key);

    // Any authenticated call records use, even one its scopes refuse.
    await bearer(api.server, created.body.key).get('/api/v1/users').expect(403);
    const used = await eventually(async () => {
      const res = await owner.get('/api/v1/api-keys');
      return (res.body.items[0] as { lastUsedAt: string | null }).lastUsedAt ?? undefined;
    });
    expect(new Date(used).getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it('a key acts only within its scopes: other routes answer 403, never 401', async () => {
    const owner = await ownerSession();
    const key = (await owner.post('/api/v1/api-keys', { name: 'Reports', scopes: ['reports:read'] }).expect(201)).body
      .key as string;
    for (const res of [
      await bearer(api.server, key).get('/api/v1/users'),
      await bearer(api.server, key).get('/api/v1/api-keys'),
      await bearer(api.server, key).get('/api/v1/auth/me'),
      await bearer(api.server, key).post('/api/v1/api-keys', { name: 'escalate', scopes: ['orders:write'] }),
    ]) {
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    }
  });

  it('a revoked key stops working at once (401); revoking again or another restaurant’s key is 404', async () => {
    const owner = await ownerSession();
    const created = (await owner.post('/api/v1/api-keys', { name: 'Delivery', scopes: ['orders:write'] }).expect(201))
      .body;
    expect((await bearer(api.server, created.key).get('/api/v1/users')).status).toBe(403);
    await owner.delete(`/api/v1/api-keys/${created.id}`).expect(204);
    const after = await bearer(api.server, created.key).get('/api/v1/users');
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('UNAUTHENTICATED');
    expect((await owner.get('/api/v1/api-keys')).body.meta.total).toBe(0);
    await owner.delete(`/api/v1/api-keys/${created.id}`).expect(404);

    const other = await ownerSession();
    const theirs = (await other.post('/api/v1/api-keys', { name: 'Theirs', scopes: ['menu:read'] }).expect(201)).body;
    const cross = await owner.delete(`/api/v1/api-keys/${theirs.id}`).expect(404);
    expect(cross.body.code).toBe('NOT_FOUND');
    await owner.delete(`/api/v1/api-keys/${randomUUID()}`).expect(404);
    expect((await other.get('/api/v1/api-keys')).body.meta.total).toBe(1);
  });

  it('refuses forged or malformed keys with 401', async () => {
    const owner = await ownerSession();
    const key = (await owner.post('/api/v1/api-keys', { name: 'K', scopes: ['menu:read'] }).expect(201)).body
      .key as string;
    const tampered = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
    for (const token of [tampered, 'ck_live_short', `${key}x`]) {
      expect((await bearer(api.server, token).get('/api/v1/users')).status).toBe(401);
    }
  });

  it('only owners manage keys; bad bodies are 422', async () => {
    const cafe = await seedRestaurant(api.app);
    const owner = await BrowserSession.login(api.server, cafe.owner.email, TEST_PASSWORD);
    const managerEmail = uniqueEmail('manager');
    await owner
      .post('/api/v1/users', { email: managerEmail, name: 'M', role: 'manager', password: TEST_PASSWORD })
      .expect(201);
    const manager = await BrowserSession.login(api.server, managerEmail, TEST_PASSWORD);
    expect((await manager.get('/api/v1/api-keys')).status).toBe(403);
    expect((await manager.post('/api/v1/api-keys', { name: 'x', scopes: ['menu:read'] })).status).toBe(403);
    for (const body of [
      { name: 'x', scopes: [] },
      { name: 'x', scopes: ['admin'] },
      { name: '', scopes: ['menu:read'] },
      { name: 'x', scopes: ['menu:read'], restaurantId: randomUUID() },
      { name: 'x', scopes: ['menu:read'], role: 'owner' },
      { name: 'x', scopes: ['menu:read'], id: randomUUID() },
      { name: 'x', scopes: ['menu:read'], key: 'ck_live_chosen-by-client' },
      { name: 'x', scopes: 'menu:read' },
    ]) {
      expect((await owner.post('/api/v1/api-keys', body)).status).toBe(422);
    }
    await request(api.server).get('/api/v1/api-keys').expect(401);
  });
});
