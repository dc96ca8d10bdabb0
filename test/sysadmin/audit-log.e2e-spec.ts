import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuditLogEntity, AuditTrail } from '@coffee/audit';
import { seedRestaurant, TEST_PASSWORD, uniqueEmail, uniqueSlug } from '../factories/restaurant.factory';
import { SYSADMIN } from '../support/env';
import { BrowserSession } from '../support/session';
import { startTestApi, type TestApi } from '../support/test-app';

interface Entry {
  id: string;
  at: string;
  actorId: string | null;
  actorRole: string | null;
  restaurantId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  requestId: string | null;
  ip: string | null;
}

const SECRET_NAMES = /password|hash|secret|token|^key$/i;

/** Every property name in a JSON value, at any depth. */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => [key, ...keysOf(inner)]);
}

describe('sysadmin console: the audit log', () => {
  let api: TestApi;
  let sysadmin: BrowserSession;

  const entries = async (query: string) =>
    (await sysadmin.get(`/api/v1/sysadmin/audit-log?${query}`).expect(200)).body as {
      items: Entry[];
      meta: Record<string, unknown>;
    };

  beforeAll(async () => {
    api = await startTestApi();
    sysadmin = await BrowserSession.login(api.server, SYSADMIN.email, SYSADMIN.password);
  });

  afterAll(async () => {
    await api.close();
  });

  describe('a restaurant managed from the console', () => {
    const requestIds = {
      created: `audit-created-${randomBytes(4).toString('hex')}`,
      updated: `audit-updated-${randomBytes(4).toString('hex')}`,
      suspended: `audit-suspended-${randomBytes(4).toString('hex')}`,
      reactivated: `audit-reactivated-${randomBytes(4).toString('hex')}`,
      planChanged: `audit-plan-${randomBytes(4).toString('hex')}`,
    };
    const ownerEmail = uniqueEmail('owner');
    let restaurantId: string;
    let ownerId: string;
    let apiKey: string;
    let all: Entry[];

    beforeAll(async () => {
      const write = (method: 'post' | 'patch', path: string, requestId: string) =>
        sysadmin.write(method, path).set('X-Request-Id', requestId);
      const created = await write('post', '/api/v1/sysadmin/restaurants', requestIds.created)
        .send({
          name: 'Audited Café',
          slug: uniqueSlug('audited'),
          currency: 'USD',
          timezone: 'UTC',
          planCode: 'pro',
          owner: { email: ownerEmail, name: 'Olga Owner', password: TEST_PASSWORD },
        })
        .expect(201);
      restaurantId = created.body.restaurant.id;
      ownerId = created.body.owner.id;
      const path = `/api/v1/sysadmin/restaurants/${restaurantId}`;
      await write('patch', path, requestIds.updated).send({ name: 'Audited Bistro' }).expect(200);
      await write('patch', path, requestIds.suspended).send({ status: 'suspended' }).expect(200);
      await write('patch', path, requestIds.reactivated).send({ status: 'active' }).expect(200);
      await write('post', `${path}/plan`, requestIds.planChanged).send({ planCode: 'enterprise' }).expect(200);
      // The owner's own changes, with secrets in the request: a new user's password and a new API key.
      const owner = await BrowserSession.login(api.server, ownerEmail, TEST_PASSWORD);
      await owner
        .post('/api/v1/users', { email: uniqueEmail('staff'), name: 'Sam', role: 'staff', password: TEST_PASSWORD })
        .expect(201);
      apiKey = (await owner.post('/api/v1/api-keys', { name: 'pos', scopes: ['menu:read'] }).expect(201)).body.key;
      all = (await entries(`restaurantId=${restaurantId}&limit=100`)).items;
    });

    it('has the console changes, newest first, with actor, request id and ip', () => {
      const consoleEntries = all.filter((entry) => entry.actorRole === 'sysadmin' && entry.targetType === 'restaurant');
      expect(consoleEntries.map((entry) => entry.action)).toEqual([
        'restaurant.plan_changed',
        'restaurant.reactivated',
        'restaurant.suspended',
        'restaurant.updated',
        'restaurant.created',
      ]);
      const [planChanged, reactivated, suspended, updated, created] = consoleEntries;
      for (const entry of consoleEntries) {
        expect(entry).toMatchObject({
          id: expect.any(String),
          actorId: sysadmin.userId,
          actorRole: 'sysadmin',
          restaurantId,
          targetType: 'restaurant',
          targetId: restaurantId,
        });
        expect(entry.ip).toMatch(/^(::ffff:)?127\.0\.0\.1$|^::1$/);
      }
      // The owner is created in the same request and transaction, by the sysadmin.
      const ownerCreated = all.find((entry) => entry.action === 'user.created' && entry.targetId === ownerId);
      expect(ownerCreated).toMatchObject({
        actorId: sysadmin.userId,
        actorRole: 'sysadmin',
        requestId: requestIds.created,
      });
      expect(ownerCreated?.after).toEqual({ email: ownerEmail, name: 'Olga Owner', role: 'owner', isActive: true });
      expect(created).toMatchObject({
        requestId: requestIds.created,
        before: null,
        after: { name: 'Audited Café', planCode: 'pro', status: 'active', subscriptionStatus: 'trialing', ownerId },
      });
      expect(updated).toMatchObject({
        requestId: requestIds.updated,
        before: { name: 'Audited Café' },
        after: { name: 'Audited Bistro' },
      });
      expect(suspended).toMatchObject({
        requestId: requestIds.suspended,
        before: { status: 'active' },
        after: { status: 'suspended' },
      });
      expect(reactivated).toMatchObject({
        requestId: requestIds.reactivated,
        before: { status: 'suspended' },
        after: { status: 'active' },
      });
      expect(planChanged).toMatchObject({
        requestId: requestIds.planChanged,
        before: { planCode: 'pro', status: 'trialing' },
        after: { planCode: 'enterprise', status: 'active' },
      });
      const times = all.map((entry) => Date.parse(entry.at));
      expect(times).toEqual([...times].sort((x, y) => y - x));
    });

    it('records the owner as the actor of their own changes, and keeps no secret or hash', () => {
      const ownerEntries = all.filter((entry) => entry.actorId === ownerId);
      expect(ownerEntries.map((entry) => entry.action).sort()).toEqual(['api_key.created', 'user.created']);
      for (const entry of ownerEntries) expect(entry.actorRole).toBe('owner');
      const text = JSON.stringify(all);
      expect(text).not.toContain(TEST_PASSWORD);
      expect(text).not.toContain(apiKey);
      expect(text).not.toMatch(/\$argon2/);
      expect(keysOf(all.map((entry) => [entry.before, entry.after])).filter((key) => SECRET_NAMES.test(key))).toEqual(
        [],
      );
    });

    it('filters by action, actor and time, and pages', async () => {
      const suspended = await entries(`restaurantId=${restaurantId}&action=restaurant.suspended`);
      expect(suspended.items.map((entry) => entry.requestId)).toEqual([requestIds.suspended]);

      const bySysadmin = await entries(`restaurantId=${restaurantId}&actorId=${sysadmin.userId}`);
      expect(bySysadmin.meta.total).toBe(6); // the five restaurant changes and the owner's creation
      const byOwner = await entries(`actorId=${ownerId}`);
      expect(byOwner.items.every((entry) => entry.actorId === ownerId && entry.restaurantId === restaurantId)).toBe(
        true,
      );
      expect(byOwner.meta.total).toBe(2);

      const at = (action: string) => all.find((entry) => entry.action === action)?.at ?? '';
      const window = await entries(
        `restaurantId=${restaurantId}&from=${at('restaurant.updated')}&to=${at('restaurant.reactivated')}`,
      );
      expect(window.items.map((entry) => entry.action)).toEqual([
        'restaurant.reactivated',
        'restaurant.suspended',
        'restaurant.updated',
      ]);

      const first = await entries(`restaurantId=${restaurantId}&limit=2`);
      expect(first.meta).toEqual({ limit: 2, offset: 0, total: all.length, hasMore: true, nextCursor: null });
      const last = await entries(`restaurantId=${restaurantId}&limit=2&offset=${all.length - 1}`);
      expect(last.items.map((entry) => entry.id)).toEqual([all[all.length - 1].id]);
      expect(last.meta.hasMore).toBe(false);
      // Oldest first: the creation's two rows (the owner, then the restaurant, in one transaction).
      const oldest = await entries(`restaurantId=${restaurantId}&sort=at&limit=2`);
      expect(oldest.items.map((entry) => entry.action).sort()).toEqual(['restaurant.created', 'user.created']);

      const none = await entries(`restaurantId=${randomUUID()}`);
      expect(none).toEqual({ items: [], meta: { limit: 20, offset: 0, total: 0, hasMore: false, nextCursor: null } });
    });
  });

  it('refuses malformed filters with 422', async () => {
    for (const query of [
      'restaurantId=not-a-uuid',
      'actorId=42',
      'action=restaurant.deleted',
      'from=yesterday',
      'to=2026-13-01',
      'from=2026-02-30',
      'from=2026-03-02&to=2026-03-01',
      'limit=0',
      'offset=10001',
      'sort=action',
      'password=x',
    ]) {
      const res = await sysadmin.get(`/api/v1/sysadmin/audit-log?${query}`);
      expect([query, res.status, res.body.code]).toEqual([query, 422, 'VALIDATION_FAILED']);
    }
  });

  /**
   * Forcing a real rollback: the AuditTrail the services use writes its row
   * for real, inside the PATCH's transaction, and the injected failure is
   * thrown right after it, before commit, exactly where any later failure of
   * the use case (a lost connection, a deadlock) would surface. The row was
   * there inside the transaction; after the rollback neither it nor the rename
   * it recorded exist.
   */
  it('keeps no audit row, and no change, when the transaction rolls back after the audit write', async () => {
    const cafe = await seedRestaurant(api.app);
    const path = `/api/v1/sysadmin/restaurants/${cafe.restaurant.id}`;
    const rowsOf = () =>
      api.app.get(DataSource).getRepository(AuditLogEntity).findBy({ restaurantId: cafe.restaurant.id });
    // The factory's owner (user.created); nothing about the restaurant itself yet.
    const before = await rowsOf();
    expect(before.map((row) => row.action)).toEqual(['user.created']);
    const trail = api.app.get(AuditTrail);
    const realRecord = trail.record.bind(trail);
    let rowsInsideTransaction = -1;
    const spy = jest.spyOn(trail, 'record').mockImplementationOnce(async (manager, entry) => {
      await realRecord(manager, entry);
      rowsInsideTransaction = await manager
        .getRepository(AuditLogEntity)
        .countBy({ restaurantId: cafe.restaurant.id, action: entry.action });
      throw new Error('injected failure after the audit write');
    });
    try {
      const res = await sysadmin.patch(path, { name: 'Never Renamed', status: 'suspended' });
      expect([res.status, res.body.code]).toEqual([500, 'INTERNAL']);
    } finally {
      spy.mockRestore();
    }
    expect(rowsInsideTransaction).toBe(1);
    expect(await rowsOf()).toEqual(before);
    expect((await entries(`restaurantId=${cafe.restaurant.id}&action=restaurant.updated`)).meta.total).toBe(0);
    const read = await sysadmin.get(path).expect(200);
    expect(read.body).toMatchObject({ name: 'Test Café', status: 'active' });
    await request(api.server).get(`/api/v1/public/restaurants/${cafe.restaurant.slug}/menu`).expect(200);

    // The same change goes through once nothing fails, with its rows.
    await sysadmin.patch(path, { name: 'Renamed', status: 'suspended' }).expect(200);
    const after = await entries(`restaurantId=${cafe.restaurant.id}`);
    expect(after.items.map((entry) => entry.action)).toEqual([
      'restaurant.suspended',
      'restaurant.updated',
      'user.created',
    ]);
  });
});
