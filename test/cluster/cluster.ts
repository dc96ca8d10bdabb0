import { randomBytes } from 'node:crypto';
import { SYSADMIN } from '../support/env';
import { spawnApp, waitFor, type RunningProcess } from '../support/processes';

export const PASSWORD = 'correct-horse-battery-9';
export const unique = (label: string): string => `${label}-${randomBytes(5).toString('hex')}`;

/** One answer, its body parsed when it is JSON. */
export interface Reply {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field
  body: any;
}

export interface CallOptions {
  body?: unknown;
  headers?: Record<string, string>;
}

/** A plain HTTP call to one instance (fetch: no HTTP cache, no cookie jar). */
export async function call(
  target: RunningProcess,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(target.url + path, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  const json = /json/.test(res.headers.get('content-type') ?? '') && text !== '';
  return { status: res.status, headers: res.headers, body: json ? JSON.parse(text) : text };
}

/**
 * A browser session that is not tied to an instance: the same cookies and CSRF
 * token go to whichever instance each call names, as behind a load balancer.
 */
export class Session {
  cookies: Record<string, string> = {};
  csrfToken = '';
  userId = '';

  static async login(target: RunningProcess, email: string, password: string): Promise<Session> {
    const session = new Session();
    const res = await session.send(target, 'POST', '/api/v1/auth/login', { body: { email, password } });
    if (res.status !== 200) throw new Error(`login on ${target.url} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return session;
  }

  get accessToken(): string {
    return this.cookies.access_token ?? '';
  }

  get(target: RunningProcess, path: string): Promise<Reply> {
    return this.send(target, 'GET', path);
  }

  post(target: RunningProcess, path: string, body: unknown = {}, headers: Record<string, string> = {}): Promise<Reply> {
    return this.send(target, 'POST', path, { body, headers });
  }

  patch(target: RunningProcess, path: string, body: unknown): Promise<Reply> {
    return this.send(target, 'PATCH', path, { body });
  }

  async send(target: RunningProcess, method: string, path: string, options: CallOptions = {}): Promise<Reply> {
    const cookie = Object.entries(this.cookies)
      .map(([name, value]) => `${name}=${value}`)
      .join('; ');
    const headers: Record<string, string> = { ...options.headers };
    if (cookie) headers.cookie = cookie;
    if (method !== 'GET' && this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    const res = await call(target, method, path, { ...options, headers });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = decodeURIComponent(pair.slice(eq + 1));
      if (value === '' || /max-age=0/i.test(line)) delete this.cookies[name];
      else this.cookies[name] = value;
    }
    const body = res.body as { csrfToken?: string; user?: { id: string } } | string;
    if (typeof body === 'object' && body?.csrfToken) this.csrfToken = body.csrfToken;
    if (typeof body === 'object' && body?.user?.id) this.userId = body.user.id;
    return res;
  }
}

/** Fails the test with the answer in the message when the status is not the expected one. */
export function expectStatus(res: Reply, status: number): Reply {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res;
}

export interface Cluster {
  apis: [RunningProcess, RunningProcess, RunningProcess];
  worker: RunningProcess;
}

/**
 * Three API processes and one worker from dist, on free ports, sharing the
 * outer MariaDB and Redis under a Redis key prefix of their own (no other
 * suite's counters, cache entries or jobs). The test process plays the load
 * balancer in front of them, on loopback, hence TRUST_PROXY. Each process is
 * added to `started` as soon as it is spawned, so the caller ends every one of
 * them even when a later one fails to come up.
 */
export async function startCluster(started: RunningProcess[], env: Record<string, string>): Promise<Cluster> {
  const spawnOne = async (app: 'api' | 'worker'): Promise<RunningProcess> => {
    const proc = await spawnApp(app, env, { waitForLive: false });
    started.push(proc);
    // Nest boots on a loaded 2-core machine: allow 60 s each.
    await waitFor(proc, '/health/ready', 200, 600);
    return proc;
  };
  const [a, b, c] = await Promise.all([spawnOne('api'), spawnOne('api'), spawnOne('api')]);
  // The worker once the APIs are up: four boots at once on a loaded machine can time its Redis calls out.
  const worker = await spawnOne('worker');
  return { apis: [a, b, c], worker };
}

/** SIGTERM, then SIGKILL if the process has not exited within 15 s. Never throws. */
export async function terminate(proc: RunningProcess): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), 15_000);
  });
  const outcome = await Promise.race([proc.exited, timeout]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    proc.child.kill('SIGKILL');
    await proc.exited;
  }
}

export async function sysadminSession(target: RunningProcess): Promise<Session> {
  return Session.login(target, SYSADMIN.email, SYSADMIN.password);
}

export interface ClusterShop {
  restaurantId: string;
  slug: string;
  owner: Session;
  staff: Session;
  categoryId: string;
  /** Latte 450, tax 19%, Size: Small +0 / Large +100 (exactly one). */
  latte: { id: string; small: string; large: string };
  /** Cookie 250, tax 5%. */
  cookieId: string;
}

/** A restaurant made the way an operator makes one (sysadmin API), with its owner, a staff member and a menu. */
export async function createShop(sysadmin: Session, target: RunningProcess): Promise<ClusterShop> {
  const slug = unique('cluster');
  const ownerEmail = `${unique('owner')}@example.test`;
  const created = expectStatus(
    await sysadmin.post(target, '/api/v1/sysadmin/restaurants', {
      name: 'Cluster Café',
      slug,
      currency: 'USD',
      timezone: 'UTC',
      planCode: 'enterprise',
      owner: { email: ownerEmail, name: 'Olivia Owner', password: PASSWORD },
    }),
    201,
  );
  const owner = await Session.login(target, ownerEmail, PASSWORD);
  const staffEmail = `${unique('staff')}@example.test`;
  expectStatus(
    await owner.post(target, '/api/v1/users', { email: staffEmail, name: 'Sam', role: 'staff', password: PASSWORD }),
    201,
  );
  const staff = await Session.login(target, staffEmail, PASSWORD);
  const categoryId = expectStatus(await owner.post(target, '/api/v1/menu/categories', { name: 'All' }), 201).body
    .id as string;
  const latte = expectStatus(
    await owner.post(target, '/api/v1/menu/items', {
      categoryId,
      name: 'Latte',
      price: 450,
      taxRateBps: 1900,
      modifierGroups: [
        {
          name: 'Size',
          minSelect: 1,
          maxSelect: 1,
          options: [
            { name: 'Small', priceDelta: 0 },
            { name: 'Large', priceDelta: 100 },
          ],
        },
      ],
    }),
    201,
  ).body as { id: string; modifierGroups: { options: { id: string }[] }[] };
  const cookie = expectStatus(
    await owner.post(target, '/api/v1/menu/items', { categoryId, name: 'Cookie', price: 250, taxRateBps: 500 }),
    201,
  ).body as { id: string };
  const [small, large] = latte.modifierGroups[0].options;
  return {
    restaurantId: (created.body as { restaurant: { id: string } }).restaurant.id,
    slug,
    owner,
    staff,
    categoryId,
    latte: { id: latte.id, small: small.id, large: large.id },
    cookieId: cookie.id,
  };
}

/** A takeaway order of two lines (the second's quantity varies, so orders differ). */
export function takeaway(shop: ClusterShop, cookies = 1): object {
  return {
    type: 'takeaway',
    customerName: 'Ana',
    items: [
      { menuItemId: shop.latte.id, quantity: 2, modifierOptionIds: [shop.latte.large] },
      { menuItemId: shop.cookieId, quantity: cookies },
    ],
  };
}

export const idempotencyKey = (): string => `key-${randomBytes(8).toString('hex')}`;

/** `job_duration_seconds_count` of the worker for one job name and outcome (0 when absent). */
export function jobAttempts(metrics: string, name: string, status: 'completed' | 'failed'): number {
  return metrics
    .split('\n')
    .filter(
      (line) =>
        line.startsWith('job_duration_seconds_count{') &&
        line.includes(`name="${name}"`) &&
        line.includes(`status="${status}"`),
    )
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}
