import { randomBytes } from 'node:crypto';
import { SYSADMIN } from '../../support/env';

export interface Answer {
  status: number;
  body: unknown;
}

/** A bearer call from the test itself (no browser): the server's side of what a page did. */
async function bearerCall(apiUrl: string, token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(apiUrl + path, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
}

/** Signs in without a browser and returns the access JWT, which the bearer scheme also takes. */
async function accessToken(apiUrl: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${apiUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith('access_token='));
  if (response.status !== 200 || !cookie)
    throw new Error(`sign-in as ${email} failed: ${response.status} ${await response.text()}`);
  return decodeURIComponent(cookie.split(';')[0]?.slice('access_token='.length) ?? '');
}

/** Signs in afresh for every call: the tests shorten the access tokens' lifetime to a few seconds. */
export async function asUser(
  apiUrl: string,
  email: string,
  password: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Answer> {
  return bearerCall(apiUrl, await accessToken(apiUrl, email, password), method, path, body);
}

export interface Cafe {
  owner: { email: string; password: string };
  categoryId: string;
}

/** A restaurant of its own (created by the sysadmin over HTTP), its owner, and a menu category. */
export async function createCafe(apiUrl: string): Promise<Cafe> {
  const tag = randomBytes(4).toString('hex');
  const owner = { email: `owner.${tag}@example.test`, password: `browser-Owner-pass-${tag}` };
  const created = await asUser(apiUrl, SYSADMIN.email, SYSADMIN.password, 'POST', '/api/v1/sysadmin/restaurants', {
    name: `Browser Café ${tag}`,
    slug: `browser-${tag}`,
    currency: 'USD',
    timezone: 'America/New_York',
    planCode: 'enterprise',
    owner: { email: owner.email, name: 'Olivia Owner', password: owner.password },
  });
  if (created.status !== 201) throw new Error(`restaurant not created: ${JSON.stringify(created)}`);
  const category = await asUser(apiUrl, owner.email, owner.password, 'POST', '/api/v1/menu/categories', {
    name: 'Coffee',
  });
  if (category.status !== 201) throw new Error(`category not created: ${JSON.stringify(category)}`);
  return { owner, categoryId: (category.body as { id: string }).id };
}

/** The names of the restaurant's menu items matching `q`, as the API lists them. */
export async function itemNames(apiUrl: string, cafe: Cafe, q: string): Promise<string[]> {
  const list = await asUser(
    apiUrl,
    cafe.owner.email,
    cafe.owner.password,
    'GET',
    `/api/v1/menu/items?q=${encodeURIComponent(q)}&limit=100`,
  );
  if (list.status !== 200) throw new Error(`items not listed: ${JSON.stringify(list)}`);
  return (list.body as { items: { name: string }[] }).items.map((item) => item.name).sort();
}

/**
 * How many requests to `method route` the API has answered, by status code
 * (its Prometheus `http_request_duration_seconds` histogram): proof of what
 * reached the server, whatever the browser showed the page.
 */
export async function answeredByStatus(apiUrl: string, method: string, route: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${apiUrl}/metrics`)).text();
  const counts = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^http_request_duration_seconds_count\{([^}]*)\} (\d+)$/.exec(line);
    if (!match) continue;
    const labels = Object.fromEntries([...(match[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (labels.method === method && labels.route === route) counts.set(labels.status_code ?? '', Number(match[2]));
  }
  return counts;
}

/** The requests answered between two readings of {@link answeredByStatus}, by status code. */
export function answeredSince(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  const since: Record<string, number> = {};
  for (const [status, count] of after) {
    const added = count - (before.get(status) ?? 0);
    if (added !== 0) since[status] = added;
  }
  return since;
}
