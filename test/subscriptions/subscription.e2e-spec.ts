import { DataSource } from 'typeorm';
import { AuditTrail } from '@coffee/audit';
import { signedInCrew } from '../factories/crew.factory';
import { TEST_PASSWORD, uniqueEmail } from '../factories/restaurant.factory';
import { place, seedShop, takeaway } from '../factories/shop.factory';
import { startTestApi, type TestApi } from '../support/test-app';

const DAY_MS = 86_400_000;

interface AuditRow {
  action: string;
  actor_id: string | null;
  actor_role: string | null;
  target_id: string | null;
  before: string | null;
  after: string | null;
  request_id: string | null;
  ip: string | null;
}

describe('subscriptions: current, change-plan, and the audit rows they write', () => {
  let api: TestApi;
  let db: DataSource;

  beforeAll(async () => {
    api = await startTestApi();
    db = api.app.get(DataSource);
  });

  afterAll(async () => {
    await api.close();
  });

  const auditRows = (restaurantId: string, action: string): Promise<AuditRow[]> =>
    db.query('SELECT * FROM audit_log WHERE restaurant_id = ? AND action = ? ORDER BY at, id', [restaurantId, action]);

  it('shows a new restaurant trialing for 14 days with its live usage; owner and manager read it, staff may not', async () => {
    const crew = await signedInCrew(api.app, api.server);
    const res = await crew.owner.get('/api/v1/subscriptions/current').expect(200);
    expect(res.body).toMatchObject({
      planCode: 'enterprise',
      status: 'trialing',
      cancelAtPeriodEnd: false,
      usage: { users: 3, menuItems: 0, ordersThisMonth: 0, apiKeys: 0 },
    });
    const start = Date.parse(res.body.currentPeriodStart as string);
    expect(Date.parse(res.body.currentPeriodEnd as string) - start).toBe(14 * DAY_MS);
    await crew.manager.get('/api/v1/subscriptions/current').expect(200);
    expect((await crew.staff.get('/api/v1/subscriptions/current')).status).toBe(403);
  });

  it('refuses a downgrade below usage with 409 naming the limit, then accepts one that fits', async () => {
    const crew = await signedInCrew(api.app, api.server);
    for (const i of [1, 2]) {
      await crew.owner
        .post('/api/v1/users', { email: uniqueEmail(`s${i}`), name: 'Extra', role: 'staff', password: TEST_PASSWORD })
        .expect(201);
    }
    const refused = await crew.owner.post('/api/v1/subscriptions/change-plan', { planCode: 'free' });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('CONFLICT');
    expect(refused.body.detail).toContain('maxUsers');
    expect((await crew.owner.get('/api/v1/subscriptions/current')).body.planCode).toBe('enterprise');
    expect(await auditRows(crew.cafe.restaurant.id, 'restaurant.plan_changed')).toHaveLength(0);

    const changed = await crew.owner.post('/api/v1/subscriptions/change-plan', { planCode: 'pro' }).expect(200);
    expect(changed.body).toMatchObject({ planCode: 'pro', status: 'active', usage: { users: 5 } });
    const [row] = await auditRows(crew.cafe.restaurant.id, 'restaurant.plan_changed');
    expect(row).toMatchObject({
      actor_id: crew.cafe.owner.id,
      actor_role: 'owner',
      target_id: crew.cafe.restaurant.id,
    });
    expect(JSON.parse(row.before ?? '')).toEqual({ planCode: 'enterprise', status: 'trialing' });
    expect(JSON.parse(row.after ?? '')).toEqual({ planCode: 'pro', status: 'active' });
    expect(row.request_id).toBeTruthy();
    expect(row.ip).toBeTruthy();
  });

  it('lets only the owner change plan, and validates the plan code', async () => {
    const crew = await signedInCrew(api.app, api.server);
    expect((await crew.manager.post('/api/v1/subscriptions/change-plan', { planCode: 'pro' })).status).toBe(403);
    const bad = await crew.owner.post('/api/v1/subscriptions/change-plan', { planCode: 'platinum' });
    expect(bad.status).toBe(422);
    const extra = await crew.owner.post('/api/v1/subscriptions/change-plan', { planCode: 'pro', status: 'active' });
    expect(extra.status).toBe(422);
  });

  it('audits user and API key changes with actor, request id and IP, never secrets', async () => {
    const crew = await signedInCrew(api.app, api.server);
    const restaurantId = crew.cafe.restaurant.id;
    await crew.owner.patch(`/api/v1/users/${crew.staffId}`, { role: 'manager' }).expect(200);
    await crew.owner.delete(`/api/v1/users/${crew.staffId}`).expect(204);
    const key = await crew.owner.post('/api/v1/api-keys', { name: 'POS', scopes: ['orders:read'] }).expect(201);
    await crew.owner.delete(`/api/v1/api-keys/${key.body.id as string}`).expect(204);

    const created = await auditRows(restaurantId, 'user.created');
    // The owner (created with the restaurant), the manager and the staff member.
    expect(created).toHaveLength(3);
    const [roleChange] = await auditRows(restaurantId, 'user.role_changed');
    expect(roleChange).toMatchObject({ actor_id: crew.cafe.owner.id, target_id: crew.staffId });
    expect(JSON.parse(roleChange.before ?? '')).toEqual({ role: 'staff' });
    expect(JSON.parse(roleChange.after ?? '')).toEqual({ role: 'manager' });
    expect(await auditRows(restaurantId, 'user.deactivated')).toHaveLength(1);
    const [keyCreated] = await auditRows(restaurantId, 'api_key.created');
    expect(keyCreated.target_id).toBe(key.body.id);
    expect(await auditRows(restaurantId, 'api_key.revoked')).toHaveLength(1);

    const everything: AuditRow[] = await db.query('SELECT * FROM audit_log WHERE restaurant_id = ?', [restaurantId]);
    const text = JSON.stringify(everything);
    expect(text).not.toContain(TEST_PASSWORD);
    expect(text).not.toContain(key.body.key as string);
    expect(text).not.toMatch(/passwordHash|password_hash|keyHash|\$argon2/);
  });

  it('audits an order cancellation with its reason', async () => {
    const shop = await seedShop(api.app, api.server);
    const order = await place(shop.staff, takeaway(shop)).expect(201);
    await shop.owner
      .post(`/api/v1/orders/${order.body.id as string}/status`, { status: 'cancelled', reason: 'Customer left' })
      .expect(200);
    const [row] = await auditRows(shop.cafe.restaurant.id, 'order.cancelled');
    expect(row).toMatchObject({ actor_id: shop.cafe.owner.id, actor_role: 'owner', target_id: order.body.id });
    expect(JSON.parse(row.after ?? '')).toEqual({ status: 'cancelled', reason: 'Customer left' });
  });

  it('audits failed sign-ins of a real account and its lock, and nothing for unknown emails', async () => {
    const crew = await signedInCrew(api.app, api.server);
    const email = crew.cafe.owner.email;
    for (let i = 0; i < 5; i++) {
      const res = await crew.staff.loginResponse(email, 'wrong-password-123');
      expect(res.status).toBe(401);
    }
    expect((await crew.staff.loginResponse(email, TEST_PASSWORD)).status).toBe(423);
    expect((await crew.staff.loginResponse(uniqueEmail('nobody'), 'wrong-password-123')).status).toBe(401);
    const failed = await auditRows(crew.cafe.restaurant.id, 'auth.login_failed');
    expect(failed).toHaveLength(5);
    expect(failed[0]).toMatchObject({ actor_id: crew.cafe.owner.id, target_id: crew.cafe.owner.id });
    expect(await auditRows(crew.cafe.restaurant.id, 'auth.account_locked')).toHaveLength(1);
  });

  it('leaves no audit row when the change it records rolls back', async () => {
    const crew = await signedInCrew(api.app, api.server);
    const audit = api.app.get(AuditTrail);
    const record = audit.record.bind(audit);
    // The audit row is written, then the transaction fails: both must disappear together.
    const spy = jest.spyOn(audit, 'record').mockImplementationOnce(async (manager, entry) => {
      await record(manager, entry);
      throw new Error('failure after the audit write');
    });
    try {
      const res = await crew.owner.post('/api/v1/subscriptions/change-plan', { planCode: 'pro' });
      expect(res.status).toBe(500);
    } finally {
      spy.mockRestore();
    }
    expect(await auditRows(crew.cafe.restaurant.id, 'restaurant.plan_changed')).toHaveLength(0);
    expect((await crew.owner.get('/api/v1/subscriptions/current')).body.planCode).toBe('enterprise');
  });
});
