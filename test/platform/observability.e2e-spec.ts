import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { TEST_PASSWORD, uniqueEmail, uniqueSlug } from '../factories/restaurant.factory';
import { connectToDatabase } from '../support/database';
import { call, embedded, newFile, signIn } from '../support/embedded';
import { baseEnv, FULL_MODE, itFull, SYSADMIN } from '../support/env';
import { eventually, runCli, spawnApp, waitFor, type RunningProcess } from '../support/processes';
import { TelemetryReceiver, type EnvelopeItem, type ReceivedSpan } from '../support/telemetry-receiver';

// Spawns the built API and worker (Nest boot, argon2): slow on a loaded 2-core machine.
jest.setTimeout(120_000);

const ROOT = join(__dirname, '..', '..');
const SERVER = 2;
const PRODUCER = 4;
const CONSUMER = 5;

/**
 * Starts a built app and waits for it to be live. Loading the SDKs adds about a
 * second to a start, which a loaded 2-core machine stretches past spawnApp's
 * 15 s; a start that fails takes its process down with it.
 */
async function start(app: 'api' | 'worker', env: Record<string, string | undefined>): Promise<RunningProcess> {
  const proc = await spawnApp(app, env, { waitForLive: false });
  try {
    await waitFor(proc, '/health/live', 200, 600);
  } catch (error) {
    await proc.stop();
    throw error;
  }
  return proc;
}

interface Tenant {
  restaurantId: string;
  ownerId: string;
  token: string;
}

/** A restaurant made through the API, with its owner signed in (bearer token). */
async function newTenant(url: string): Promise<Tenant> {
  const admin = await signIn(url, SYSADMIN.email, SYSADMIN.password);
  const owner = { email: uniqueEmail('owner'), name: 'Olivia', password: TEST_PASSWORD };
  const created = await call(`${url}/api/v1/sysadmin/restaurants`, 'POST', admin, {
    name: 'Traced Café',
    slug: uniqueSlug('obs'),
    currency: 'USD',
    timezone: 'UTC',
    planCode: 'pro',
    owner,
  });
  expect(created.status).toBe(201);
  const body = created.body as { restaurant: { id: string }; owner: { id: string } };
  return {
    restaurantId: body.restaurant.id,
    ownerId: body.owner.id,
    token: await signIn(url, owner.email, owner.password),
  };
}

/**
 * Makes inserting a user named `name` fail, as a disk or constraint surprise
 * would, in the database the API is about to use: a trigger on the suite's
 * MariaDB (other suites' inserts are unaffected), or on an embedded file of
 * this test's own, migrated first (the API holds its file exclusively).
 */
async function refuseUsersNamed(
  name: string,
): Promise<{ env: Record<string, string | undefined>; drop(): Promise<void> }> {
  const message = 'refused by an e2e trigger';
  if (FULL_MODE) {
    const trigger = `e2e_refuse_${randomBytes(4).toString('hex')}`;
    const db = await connectToDatabase();
    await db.query(
      `CREATE TRIGGER ${trigger} BEFORE INSERT ON users FOR EACH ROW
       BEGIN
         IF NEW.name = '${name}' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '${message}'; END IF;
       END`,
    );
    return {
      env: {},
      drop: async () => {
        await db.query(`DROP TRIGGER IF EXISTS ${trigger}`);
        await db.end();
      },
    };
  }
  const file = newFile();
  const migrated = await runCli(['migrate'], { ...baseEnv(), ...embedded(file) });
  expect(migrated).toMatchObject({ code: 0 });
  const database = new DatabaseSync(file);
  database.exec(
    `CREATE TRIGGER e2e_refuse BEFORE INSERT ON users WHEN NEW.name = '${name}'
     BEGIN SELECT RAISE(ABORT, '${message}'); END`,
  );
  database.close();
  return { env: embedded(file), drop: () => Promise.resolve() };
}

function eventsOf(receiver: TelemetryReceiver): EnvelopeItem[] {
  return receiver.envelopeItems().filter((item) => item.type === 'event');
}

function tagsOf(item: EnvelopeItem): Record<string, unknown> {
  return (item.payload.tags ?? {}) as Record<string, unknown>;
}

function exceptionText(item: EnvelopeItem): string {
  const values = ((item.payload.exception ?? {}) as { values?: { type?: string; value?: string }[] }).values ?? [];
  return values.map((value) => `${value.type}: ${value.value}`).join('\n');
}

describe('error tracking and tracing (the built apps pointed at a local receiver)', () => {
  let receiver: TelemetryReceiver;

  beforeEach(async () => {
    receiver = new TelemetryReceiver();
    await receiver.start();
  });

  afterEach(async () => {
    await receiver.stop();
  });

  it('with neither SENTRY_DSN nor OTEL_EXPORTER_OTLP_ENDPOINT, loads no SDK (and does with them)', () => {
    const loadedSdks = (env: Record<string, string | undefined>): string[] => {
      const script = `
        require('./dist/apps/api/src/instrument.js');
        const sdk = /node_modules\\/(@sentry|@opentelemetry|bullmq-otel)\\/[^/]+/;
        const names = Object.keys(require.cache).map((file) => file.match(sdk)?.[0]).filter(Boolean);
        process.stdout.write(JSON.stringify([...new Set(names)]));`;
      const fullEnv = { ...process.env, ...baseEnv(), ...env };
      for (const [key, value] of Object.entries(fullEnv)) if (value === undefined) delete fullEnv[key];
      const output = execFileSync(process.execPath, ['-e', script], { cwd: ROOT, env: fullEnv, encoding: 'utf8' });
      return (JSON.parse(output) as string[]).map((name) => name.replace(/^node_modules\//, ''));
    };

    expect(loadedSdks({ SENTRY_DSN: undefined, OTEL_EXPORTER_OTLP_ENDPOINT: undefined })).toEqual([]);
    expect(loadedSdks({ SENTRY_DSN: receiver.sentryDsn, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url })).toEqual(
      expect.arrayContaining(['@sentry/node', '@opentelemetry/sdk-trace', '@opentelemetry/instrumentation-mysql2']),
    );
  });

  it('reports an unexpected error once, tagged with the request id, tenant and user, without credentials or the body; no 4xx', async () => {
    const hex = randomBytes(4).toString('hex');
    const doomed = `Doomed ${hex}`;
    const refusal = await refuseUsersNamed(doomed);
    const api = await start('api', { ...refusal.env, SENTRY_DSN: receiver.sentryDsn });
    try {
      const tenant = await newTenant(api.url);
      const password = `Sentry-secret-${hex}-Pw1`;
      const email = uniqueEmail('doomed');

      // Refusals of the client's own making: none of them is reported.
      expect((await call(`${api.url}/api/v1/users`, 'GET', undefined)).status).toBe(401);
      expect((await call(`${api.url}/api/v1/users`, 'POST', tenant.token, { email: 'nope', password })).status).toBe(
        422,
      );
      expect((await call(`${api.url}/api/v1/menu/categories/${randomUUID()}`, 'GET', tenant.token)).status).toBe(404);
      const wrongLogin = await call(`${api.url}/api/v1/auth/login`, 'POST', undefined, { email, password });
      expect(wrongLogin.status).toBe(401);

      const cookie = `theme=cookie-secret-${hex}`;
      const res = await fetch(`${api.url}/api/v1/users?hint=query-secret-${hex}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tenant.token}`, cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ email, name: doomed, role: 'staff', password }),
      });
      expect(res.status).toBe(500);
      const { requestId } = (await res.json()) as { requestId: string };

      const event = await eventually(() => Promise.resolve(eventsOf(receiver)[0]));
      expect(event.payload).toMatchObject({
        environment: 'test',
        transaction: 'POST /api/v1/users',
        tags: {
          service: 'coffee-api',
          requestId,
          restaurantId: tenant.restaurantId,
          userId: tenant.ownerId,
        },
        user: { id: tenant.ownerId },
        request: { method: 'POST', url: expect.stringMatching(/\/api\/v1\/users$/) },
      });
      expect(exceptionText(event)).toContain('refused by an e2e trigger');
      const request = event.payload.request as { headers?: Record<string, string>; data?: unknown };
      const headers = Object.keys(request.headers ?? {}).map((name) => name.toLowerCase());
      expect(headers).not.toContain('authorization');
      expect(headers).not.toContain('cookie');
      expect(request.data).toBeUndefined();
      for (const secret of [tenant.token, `cookie-secret-${hex}`, `query-secret-${hex}`, password, email, doomed]) {
        expect(event.envelope).not.toContain(secret);
      }
      const envelope = receiver.envelopes()[0];
      expect(envelope.path).toMatch(/^\/api\/1\/envelope\/\?(.*&)?sentry_key=publickey(&|$)/);

      // Stopping sends whatever is still queued: had a 4xx been reported, it would be here now.
      await api.stop();
      expect(receiver.envelopes()).toHaveLength(1);
      expect(eventsOf(receiver)).toHaveLength(1);
    } finally {
      await api.stop();
      await refusal.drop();
    }
  });

  it('traces each request: a server span named by its route, with the tenant; in full mode mysql2 and ioredis spans in it', async () => {
    const api = await start('api', {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    });
    let tenant: Tenant | undefined;
    let categoryId: string | undefined;
    try {
      tenant = await newTenant(api.url);
      const created = await call(`${api.url}/api/v1/menu/categories`, 'POST', tenant.token, { name: 'Traced' });
      expect(created.status).toBe(201);
      categoryId = String(created.body.id);
      expect((await call(`${api.url}/api/v1/menu/categories/${categoryId}`, 'GET', tenant.token)).status).toBe(200);
    } finally {
      // Stopping exports the spans still batched.
      await api.stop();
    }

    const spans = receiver.spans();
    const server = spans.find(
      (span) => span.kind === SERVER && span.attributes['http.route'] === '/api/v1/menu/categories/:id',
    );
    expect(server).toMatchObject({
      service: 'coffee-api',
      name: 'GET /api/v1/menu/categories/:id',
      parentSpanId: undefined,
      attributes: {
        'http.request.method': 'GET',
        'http.response.status_code': 200,
        'url.path': `/api/v1/menu/categories/${categoryId}`,
        'coffee.restaurant_id': tenant?.restaurantId,
        'coffee.user_id': tenant?.ownerId,
      },
    });
    // Probes and scrapes are not traced (the start polled /health/live).
    expect(spans.filter((span) => String(span.attributes['url.path']).startsWith('/health'))).toEqual([]);
    // Nor are credentials recorded.
    for (const { body } of receiver.requests) expect(body).not.toContain(tenant?.token);

    if (FULL_MODE) {
      const inRequest = spans.filter((span) => span.traceId === server!.traceId);
      expect(inRequest).toContainEqual(
        expect.objectContaining({
          scope: '@opentelemetry/instrumentation-mysql2',
          attributes: expect.objectContaining({
            'db.system.name': 'mysql',
            'db.query.text': expect.stringMatching(/^SELECT/),
          }),
        }),
      );
      expect(inRequest).toContainEqual(
        expect.objectContaining({
          scope: '@opentelemetry/instrumentation-ioredis',
          attributes: expect.objectContaining({ 'db.system.name': 'redis' }),
        }),
      );
    }
  });

  itFull(
    "the worker: a failed job is reported with its queue, name and id; a report job's spans continue the request's trace",
    async () => {
      // A key prefix of this test's own: no other suite's worker takes these jobs.
      const prefix = `obs-${randomBytes(4).toString('hex')}`;
      const env = { REDIS_KEY_PREFIX: prefix, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url };
      const worker = await start('worker', { ...env, SENTRY_DSN: receiver.sentryDsn });
      const api = await start('api', env);
      const connection = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
      const maintenance = new Queue('maintenance', { connection, prefix: `${prefix}:bull` });
      let tenant: Tenant | undefined;
      try {
        const jobId = randomUUID();
        await maintenance.add('subscriptions.lifecycle', { now: 'not a date' }, { jobId, attempts: 1 });
        const failure = await eventually(() =>
          Promise.resolve(eventsOf(receiver).find((item) => tagsOf(item).jobId === jobId)),
        );
        expect(failure.payload).toMatchObject({
          transaction: 'job subscriptions.lifecycle',
          tags: { service: 'coffee-worker', queue: 'maintenance', job: 'subscriptions.lifecycle', jobId },
        });
        expect(exceptionText(failure)).toContain('"now" is not a date');

        tenant = await newTenant(api.url);
        const token = tenant.token;
        const today = new Date().toISOString().slice(0, 10);
        const enqueued = await call(`${api.url}/api/v1/reports/daily`, 'POST', token, { date: today });
        expect(enqueued.status).toBe(202);
        const reportJob = String(enqueued.body.jobId);
        await eventually(async () => {
          const job = await call(`${api.url}/api/v1/reports/jobs/${reportJob}`, 'GET', token);
          return job.body.state === 'completed' ? job : undefined;
        }, 300);
      } finally {
        await maintenance.close();
        connection.disconnect();
        await api.stop();
        await worker.stop();
      }

      const spans = receiver.spans();
      const request = spans.find(
        (span: ReceivedSpan) =>
          span.service === 'coffee-api' &&
          span.kind === SERVER &&
          span.attributes['http.route'] === '/api/v1/reports/daily',
      );
      expect(request?.attributes['coffee.restaurant_id']).toBe(tenant?.restaurantId);
      const trace = spans.filter((span) => span.traceId === request!.traceId);
      // The API added the job and the worker ran it in the same trace, its queries included.
      expect(trace).toContainEqual(expect.objectContaining({ service: 'coffee-api', kind: PRODUCER }));
      expect(trace).toContainEqual(expect.objectContaining({ service: 'coffee-worker', kind: CONSUMER }));
      expect(trace).toContainEqual(
        expect.objectContaining({ service: 'coffee-worker', scope: '@opentelemetry/instrumentation-mysql2' }),
      );
    },
  );
});
