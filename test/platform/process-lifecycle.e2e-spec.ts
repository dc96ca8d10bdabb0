import { randomUUID } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { idempotencyKey, seedShop, takeaway } from '../factories/shop.factory';
import { connectToDatabase } from '../support/database';
import { itFull, SYSADMIN } from '../support/env';
import { eventually, spawnApp, waitFor } from '../support/processes';
import { startTestApi } from '../support/test-app';

const STRONG_SECRET = 'q8Zr4v1XkP0tLm7sWc2bNe9yHd3uGa6j';

/** A production configuration that passes every check, to vary one variable at a time. */
const PRODUCTION = {
  NODE_ENV: 'production',
  COOKIE_SECURE: undefined as string | undefined,
  JWT_SECRET: STRONG_SECRET,
  CORS_ORIGINS: 'https://admin.example.test',
  // The test environment lets webhooks reach 127.0.0.1; production refuses that.
  WEBHOOK_ALLOW_PRIVATE: 'false',
};

// Spawns real processes (Nest boot, argon2): slow on a loaded 2-core machine.
jest.setTimeout(90_000);

describe('process lifecycle (the built API, run as an operator runs it)', () => {
  describe('configuration refused at boot in production', () => {
    it.each([
      ['a missing JWT secret', { JWT_SECRET: undefined }, 'JWT_SECRET is required'],
      ['a short JWT secret', { JWT_SECRET: 'too-short-secret' }, 'JWT_SECRET must be at least 32 bytes'],
      [
        'the example JWT secret',
        { JWT_SECRET: 'change-me-to-a-long-random-secret-of-at-least-32-bytes' },
        'JWT_SECRET looks like an example',
      ],
      ['a repetitive JWT secret', { JWT_SECRET: 'a'.repeat(40) }, 'JWT_SECRET looks like an example'],
      ['CORS_ORIGINS=*', { CORS_ORIGINS: '*' }, 'CORS_ORIGINS must list origins explicitly'],
      ['COOKIE_SECURE=false', { COOKIE_SECURE: 'false' }, 'COOKIE_SECURE=false is not allowed'],
      [
        'a 5-byte JWT secret in staging',
        { NODE_ENV: 'staging', JWT_SECRET: '12345' },
        'JWT_SECRET must be at least 32 bytes in staging',
      ],
      ['TRUST_PROXY=true', { TRUST_PROXY: 'true' }, 'TRUST_PROXY=true is not allowed in production'],
      [
        'webhooks to private addresses',
        { WEBHOOK_ALLOW_PRIVATE: 'true' },
        'WEBHOOK_ALLOW_PRIVATE=true is not allowed in production',
      ],
      ['a malformed port', { PORT: 'eighty' }, 'PORT'],
    ])('refuses %s, naming the variable', async (_label, override, message) => {
      const proc = await spawnApp('api', { ...PRODUCTION, ...override }, { waitForLive: false });
      const { code } = await proc.exited;
      expect(code).toBe(1);
      expect(proc.output()).toContain(message);
    });

    it('reads secrets from *_FILE paths and starts with a strong configuration, sending HSTS', async () => {
      const { mkdtempSync, writeFileSync } = await import('node:fs');
      const { join } = await import('node:path');
      const { tmpdir } = await import('node:os');
      const file = join(mkdtempSync(join(tmpdir(), 'coffee-secret-')), 'jwt');
      writeFileSync(file, `${STRONG_SECRET}\n`);
      const proc = await spawnApp('api', { ...PRODUCTION, JWT_SECRET: undefined, JWT_SECRET_FILE: file });
      try {
        const res = await fetch(`${proc.url}/health/live`);
        expect(res.status).toBe(200);
        expect(res.headers.get('strict-transport-security')).toContain('max-age=');
        // COOKIE_SECURE defaults to true in production: every session cookie is Secure.
        const login = await fetch(`${proc.url}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: SYSADMIN.email, password: SYSADMIN.password }),
        });
        expect(login.status).toBe(200);
        const cookies = login.headers.getSetCookie();
        expect(cookies).toHaveLength(3);
        for (const cookie of cookies) expect(cookie).toMatch(/;\s*Secure/i);
      } finally {
        await proc.stop();
      }
    });
  });

  describe('SIGTERM', () => {
    it('turns readiness 503 at once, drains the in-flight request, then exits 0', async () => {
      const proc = await spawnApp('api', { SHUTDOWN_DELAY_MS: '1500' });
      await waitFor(proc, '/health/ready', 200);

      // A request whose body is still arriving when the signal comes.
      const socket = connect(proc.port, '127.0.0.1');
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      let answer = '';
      socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
      const body = JSON.stringify({ name: 'latte', price: 450 });
      socket.write(
        `POST /api/v1/in-flight HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: in-flight-1\r\n\r\n${body.slice(0, 5)}`,
      );
      // The connection is accepted; the server keeps reading it during the 1.5 s delay after SIGTERM.

      proc.child.kill('SIGTERM');
      await waitFor(proc, '/health/ready', 503, 20);
      const live = await fetch(`${proc.url}/health/live`);
      expect(live.status).toBe(200);

      socket.end(body.slice(5));
      const { code, signal } = await proc.exited;
      expect(answer).toMatch(/^HTTP\/1\.1 404 /);
      expect(answer).toContain('in-flight-1');
      expect(signal).toBeNull();
      expect(code).toBe(0);
    });

    itFull('finishes a request blocked in the database on a keep-alive connection, then exits 0', async () => {
      const admin = { email: `drain-${randomUUID()}@coffee-admin.test`, password: SYSADMIN.password };
      const proc = await spawnApp('api', {
        SHUTDOWN_DELAY_MS: '200',
        SYSADMIN_EMAIL: admin.email,
        SYSADMIN_PASSWORD: admin.password,
      });
      const db = await connectToDatabase();
      try {
        // Holds this admin's row: the sign-in's write waits for it.
        await db.query('START TRANSACTION');
        await db.query('SELECT id FROM users WHERE email = ? FOR UPDATE', [admin.email]);
        const agent = new Agent({ keepAlive: true });
        const signIn = new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
          const req = httpRequest(
            `${proc.url}/api/v1/auth/login`,
            { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
            (res) => {
              res.resume();
              res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
            },
          );
          req.on('error', reject);
          req.end(JSON.stringify(admin));
        });
        await eventually(async () => {
          const [rows] = await db.query(
            "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE COMMAND = 'Query' AND INFO LIKE '%users%' AND ID <> CONNECTION_ID()",
          );
          return Number((rows as { n: number }[])[0]?.n) > 0 ? true : undefined;
        });

        // Released once the server has stopped accepting connections: the
        // connection, busy when it began, must not keep it open.
        proc.child.kill('SIGTERM');
        await eventually(() =>
          fetch(`${proc.url}/health/live`).then(
            () => undefined,
            () => true,
          ),
        );
        await db.query('ROLLBACK');

        expect(await signIn).toEqual({ status: 200, connection: 'close' });
        const { code, signal } = await proc.exited;
        agent.destroy();
        expect(signal).toBeNull();
        expect(code).toBe(0);
        expect(proc.output()).not.toContain('Shutdown grace period over');
      } finally {
        await db.end();
        await proc.stop();
      }
    });

    itFull('waits for handlers whose clients left: every order is whole or absent, no errors, exit 0', async () => {
      // The shop is seeded through an in-process API on the same database; the
      // spawned API accepts its sessions (same JWT secret).
      const seeder = await startTestApi();
      const shop = await seedShop(seeder.app, seeder.server).finally(() => seeder.close());
      const restaurantId = shop.cafe.restaurant.id;
      const proc = await spawnApp('api', { LOG_LEVEL: 'warn', SHUTDOWN_DELAY_MS: '0', DB_POOL_SIZE: '30' });
      const db = await connectToDatabase();
      const placeOn = (signal?: AbortSignal) =>
        fetch(`${proc.url}/api/v1/orders`, {
          method: 'POST',
          signal,
          headers: {
            'content-type': 'application/json',
            cookie: shop.staff.cookieHeader,
            'x-csrf-token': shop.staff.csrfToken,
            'idempotency-key': idempotencyKey(),
          },
          body: JSON.stringify(takeaway(shop)),
        });
      try {
        // The first order of the day creates the counter row the others wait on.
        expect((await placeOn()).status).toBe(201);
        await db.query('START TRANSACTION');
        await db.query('SELECT last_number FROM order_counters WHERE restaurant_id = ? FOR UPDATE', [restaurantId]);

        const clients = Array.from({ length: 20 }, () => new AbortController());
        const placements = clients.map((client) => placeOn(client.signal).catch(() => 'aborted'));
        // One handler waits for the counter row; the others wait before it, on the
        // subscription row the plan-limit gate locks for the rest of the placement.
        await eventually(async () => {
          const [rows] = await db.query(
            "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE COMMAND = 'Query' AND (INFO LIKE ? OR INFO LIKE ?)",
            [`UPDATE%order_counters%${restaurantId}%`, `SELECT%FROM subscriptions%${restaurantId}%FOR UPDATE`],
          );
          return Number((rows as { n: number }[])[0]?.n) === 20 ? true : undefined;
        });
        for (const client of clients) client.abort();
        expect(await Promise.all(placements)).toEqual(Array(20).fill('aborted'));

        // The handlers are still waiting for the row when the server stops accepting.
        proc.child.kill('SIGTERM');
        await eventually(() =>
          fetch(`${proc.url}/health/live`).then(
            () => undefined,
            () => true,
          ),
        );
        await db.query('ROLLBACK');

        const { code, signal } = await proc.exited;
        expect(proc.output()).not.toMatch(/"level":(50|60)|Pool is closed|closed state/);
        expect(signal).toBeNull();
        expect(code).toBe(0);

        const [orders] = await db.query(
          `SELECT o.id, COUNT(l.id) AS line_count FROM orders o LEFT JOIN order_lines l ON l.order_id = o.id
           WHERE o.restaurant_id = ? GROUP BY o.id`,
          [restaurantId],
        );
        const [keys] = await db.query('SELECT status FROM idempotency_keys WHERE restaurant_id = ?', [restaurantId]);
        const lineCounts = (orders as { line_count: number }[]).map((order) => Number(order.line_count));
        // The lock was released during the drain: the 20 abandoned placements finished too.
        expect(lineCounts).toHaveLength(21);
        // Every order has both its lines and its completed key; nothing is left half-written.
        expect(lineCounts.every((count) => count === 2)).toBe(true);
        expect((keys as { status: string }[]).map((key) => key.status)).toEqual(
          Array(lineCounts.length).fill('completed'),
        );
      } finally {
        await db.query('ROLLBACK').catch(() => undefined);
        await db.end();
        await proc.stop();
      }
    });
  });
});
