import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FULL_MODE, SYSADMIN } from './env';
import { spawnApp } from './processes';

/** Suites about the embedded database file itself; the full-mode pass runs the same code on MariaDB. */
export const describeEmbedded = FULL_MODE ? describe.skip : describe;

/** The environment of an embedded server on `file`, whatever the outer suite runs on. */
export function embedded(file: string, extra: Record<string, string> = {}): Record<string, string | undefined> {
  return { SQLITE_PATH: file, DATABASE_URL: undefined, DB_HOST: undefined, REDIS_URL: undefined, ...extra };
}

export function newFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'coffee-durable-')), 'db.sqlite');
}

/** A small seeded generator (mulberry32), so a failing run can be replayed with its seed. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

export async function call(
  url: string,
  method: string,
  token: string | undefined,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

export async function signIn(url: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((line) => line.startsWith('access_token='));
  return decodeURIComponent(cookie?.split(';')[0]?.slice('access_token='.length) ?? '');
}

/** A restaurant and its owner's access token (a bearer needs no CSRF token). */
export async function createShop(url: string, slug: string): Promise<string> {
  const admin = await signIn(url, SYSADMIN.email, SYSADMIN.password);
  const owner = { email: `${slug}@durable.test`, name: 'Owner', password: 'durable-Owner-password-1' };
  const created = await call(`${url}/api/v1/sysadmin/restaurants`, 'POST', admin, {
    name: 'Durable Café',
    slug,
    currency: 'EUR',
    timezone: 'Europe/Berlin',
    planCode: 'pro',
    owner,
  });
  if (created.status !== 201)
    throw new Error(`restaurant not created: ${created.status} ${JSON.stringify(created.body)}`);
  return signIn(url, owner.email, owner.password);
}

export async function categoryNames(url: string, token: string): Promise<Set<string>> {
  const names = new Set<string>();
  for (let offset = 0; ; offset += 100) {
    const page = await call(`${url}/api/v1/menu/categories?limit=100&offset=${offset}`, 'GET', token);
    if (page.status !== 200) throw new Error(`list answered ${page.status}`);
    const items = page.body.items as { name: string }[];
    for (const item of items) names.add(item.name);
    if (items.length < 100) return names;
  }
}

export async function refusedStart(file: string): Promise<{ code: number | null; output: string }> {
  const proc = await spawnApp('api', embedded(file), { waitForLive: false });
  const { code } = await proc.exited;
  return { code, output: proc.output() };
}
