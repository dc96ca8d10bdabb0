import type { Server } from 'node:http';
import request, { type Response, type Test } from 'supertest';

export interface ParsedCookie {
  name: string;
  value: string;
  attributes: Record<string, string | true>;
}

export function parseSetCookie(header: string[] | string | undefined): Record<string, ParsedCookie> {
  const lines = header === undefined ? [] : Array.isArray(header) ? header : [header];
  const cookies: Record<string, ParsedCookie> = {};
  for (const line of lines) {
    const [pair = '', ...attrs] = line.split(';').map((part) => part.trim());
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq);
    const attributes: Record<string, string | true> = {};
    for (const attr of attrs) {
      const i = attr.indexOf('=');
      if (i === -1) attributes[attr.toLowerCase()] = true;
      else attributes[attr.slice(0, i).toLowerCase()] = attr.slice(i + 1);
    }
    cookies[name] = { name, value: decodeURIComponent(pair.slice(eq + 1)), attributes };
  }
  return cookies;
}

/**
 * A browser session against the API: keeps the three cookies, sends the CSRF
 * header on writes (unless told not to), and follows rotations.
 */
export class BrowserSession {
  cookies: Record<string, string> = {};
  csrfToken = '';
  userId = '';

  constructor(private readonly server: Server) {}

  static async login(server: Server, email: string, password: string): Promise<BrowserSession> {
    const session = new BrowserSession(server);
    const res = await session.loginResponse(email, password);
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
    return session;
  }

  async loginResponse(email: string, password: string): Promise<Response> {
    const res = await request(this.server).post('/api/v1/auth/login').send({ email, password });
    this.absorb(res);
    return res;
  }

  absorb(res: Response): void {
    for (const cookie of Object.values(parseSetCookie(res.headers['set-cookie'] as unknown as string[] | undefined))) {
      if (cookie.value === '' || cookie.attributes['max-age'] === '0') delete this.cookies[cookie.name];
      else this.cookies[cookie.name] = cookie.value;
    }
    const body = res.body as { csrfToken?: string; user?: { id: string } };
    if (body?.csrfToken) this.csrfToken = body.csrfToken;
    if (body?.user?.id) this.userId = body.user.id;
  }

  get cookieHeader(): string {
    return Object.entries(this.cookies)
      .map(([name, value]) => `${name}=${value}`)
      .join('; ');
  }

  get accessToken(): string {
    return this.cookies.access_token ?? '';
  }

  get(path: string): Test {
    return request(this.server).get(path).set('Cookie', this.cookieHeader);
  }

  write(method: 'post' | 'patch' | 'put' | 'delete', path: string, options: { csrf?: string | null } = {}): Test {
    const req = request(this.server)[method](path).set('Cookie', this.cookieHeader);
    const csrf = options.csrf === undefined ? this.csrfToken : options.csrf;
    return csrf === null ? req : req.set('X-CSRF-Token', csrf);
  }

  post(path: string, body?: object): Test {
    return this.write('post', path).send(body ?? {});
  }

  patch(path: string, body: object): Test {
    return this.write('patch', path).send(body);
  }

  delete(path: string): Test {
    return this.write('delete', path);
  }

  async refresh(): Promise<Response> {
    const res = await request(this.server).post('/api/v1/auth/refresh').set('Cookie', this.cookieHeader).send({});
    this.absorb(res);
    return res;
  }
}

/** Bearer-token calls (API keys or the access JWT), no cookies, no CSRF. */
export function bearer(server: Server, token: string) {
  return {
    get: (path: string) => request(server).get(path).set('Authorization', `Bearer ${token}`),
    post: (path: string, body: object = {}) =>
      request(server).post(path).set('Authorization', `Bearer ${token}`).send(body),
    patch: (path: string, body: object) =>
      request(server).patch(path).set('Authorization', `Bearer ${token}`).send(body),
    delete: (path: string) => request(server).delete(path).set('Authorization', `Bearer ${token}`),
  };
}
