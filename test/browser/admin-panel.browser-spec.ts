import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { spawnApp, waitFor, type RunningProcess } from '../support/processes';
import { launchChromium, withScreenshots } from './support/browser';
import { callPage } from './support/pages';
import { answeredByStatus, answeredSince, createCafe, itemNames, type Cafe } from './support/server-side';
import { serveTestPages, type StaticOrigin } from './support/static-origin';

/** Long enough for sign-in and a write on a loaded machine, short enough to wait for. */
const ACCESS_TOKEN_TTL_SECONDS = 4;

/**
 * The admin panel's flow in Chromium, against a built API process on the
 * embedded database. The panel is served from its own origin
 * (`http://localhost:<panel port>`, the API's only CORS origin) and talks to
 * the API on `http://localhost:<api port>`: another origin, the same site, as
 * `admin.example.com` and `api.example.com` are in production. Cookies are
 * `Secure` as in production, which browsers accept over plain http from
 * loopback hosts only (docs/browser.md).
 */
describe('the admin panel in a browser', () => {
  let browser: Browser;
  let panelServer: StaticOrigin;
  let foreignServer: StaticOrigin;
  let panelOrigin: string;
  const apis: RunningProcess[] = [];

  /** An API process with the panel as its one CORS origin and production cookies, and a café on it. */
  async function startApi(env: Record<string, string> = {}): Promise<{ api: RunningProcess; cafe: Cafe }> {
    const api = await spawnApp(
      'api',
      { CORS_ORIGINS: panelOrigin, COOKIE_SECURE: 'true', ...env },
      { waitForLive: false },
    );
    apis.push(api);
    // A fresh embedded database migrates first; on a loaded machine that takes a while.
    await waitFor(api, '/health/live', 200, 600);
    return { api, cafe: await createCafe(api.url) };
  }

  /** The API as the browser reaches it: the panel's host name, the API's port. */
  const browserUrl = (api: RunningProcess) => `http://localhost:${api.port}`;

  async function openPanel(context: BrowserContext, apiBrowserUrl: string): Promise<Page> {
    const page = await context.newPage();
    await page.goto(panelServer.url('localhost', 'panel.html', { api: apiBrowserUrl }));
    return page;
  }

  let flow: { api: RunningProcess; cafe: Cafe };
  let guarded: { api: RunningProcess; cafe: Cafe };

  beforeAll(async () => {
    [browser, panelServer, foreignServer] = await Promise.all([launchChromium(), serveTestPages(), serveTestPages()]);
    panelOrigin = `http://localhost:${panelServer.port}`;
    // One API with short-lived access tokens for the flow; one with the default lifetime, so that the
    // foreign-origin attempts meet a live session however slow the machine is.
    [flow, guarded] = await Promise.all([
      startApi({ ACCESS_TOKEN_TTL_SECONDS: String(ACCESS_TOKEN_TTL_SECONDS) }),
      startApi(),
    ]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([...apis.map((api) => api.stop()), panelServer?.close(), foreignServer?.close()]);
  });

  describe('on the panel’s origin', () => {
    it('signs in, writes with the CSRF header, refreshes once the access token expired, signs out', async () => {
      const { api, cafe } = flow;
      const apiUrl = browserUrl(api);
      const context = await browser.newContext();
      const tag = randomBytes(4).toString('hex');
      const item = (name: string) => ({ categoryId: cafe.categoryId, name: `${name} ${tag}`, price: 450 });
      try {
        await withScreenshots(context, 'admin panel flow', async () => {
          const page = await openPanel(context, apiUrl);

          const signIn = await callPage(page, 'panel', 'signIn', cafe.owner.email, cafe.owner.password);
          expect(signIn).toMatchObject({ status: 200, body: { user: { email: cafe.owner.email } } });
          const firstCsrf = (signIn.body as { csrfToken: string }).csrfToken;
          expect(firstCsrf).toEqual(expect.any(String));
          // The browser kept all three cookies, with the attributes production uses.
          const cookies = await context.cookies(`${apiUrl}/api/v1/auth/refresh`);
          expect(Object.fromEntries(cookies.map((c) => [c.name, c]))).toMatchObject({
            access_token: { httpOnly: true, secure: true, sameSite: 'Lax', path: '/' },
            refresh_token: { httpOnly: true, secure: true, sameSite: 'Strict', path: '/api/v1/auth' },
            csrf_token: { httpOnly: false, secure: true, sameSite: 'Strict', path: '/', value: firstCsrf },
          });
          // Script on the page cannot read the tokens (HttpOnly); the CSRF cookie is meant to be readable.
          expect(await callPage(page, 'panel', 'readableCookies')).toEqual(['csrf_token']);

          expect(await callPage(page, 'panel', 'createItem', item('Flat white'))).toMatchObject({
            status: 201,
            body: { name: `Flat white ${tag}`, price: 450 },
          });

          // No fixed sleep: poll until the API refuses the expired access token.
          const expired = await callPage(page, 'panel', 'untilSignedOut', 250, ACCESS_TOKEN_TTL_SECONDS * 8);
          expect(expired).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
          expect(await callPage(page, 'panel', 'createItem', item('Cortado'))).toMatchObject({
            status: 401,
            body: { code: 'UNAUTHENTICATED' },
          });

          const refreshed = await callPage(page, 'panel', 'refresh');
          expect(refreshed).toMatchObject({ status: 200, body: { user: { email: cafe.owner.email } } });
          expect((refreshed.body as { csrfToken: string }).csrfToken).not.toBe(firstCsrf);
          expect(await callPage(page, 'panel', 'createItem', item('Cortado'))).toMatchObject({
            status: 201,
            body: { name: `Cortado ${tag}` },
          });

          expect(await callPage(page, 'panel', 'logout')).toMatchObject({ status: 204 });
          expect(await callPage(page, 'panel', 'me')).toMatchObject({
            status: 401,
            body: { code: 'UNAUTHENTICATED' },
          });
          expect(await context.cookies(`${apiUrl}/api/v1/auth/refresh`)).toEqual([]);
          // And the refresh token went with the session: signing in again is the only way back.
          expect(await callPage(page, 'panel', 'refresh')).toMatchObject({ status: 401 });

          // The server's side: both writes that succeeded are there, the refused one is not doubled.
          expect(await itemNames(api.url, cafe, tag)).toEqual([`Cortado ${tag}`, `Flat white ${tag}`]);
        });
      } finally {
        await context.close();
      }
    });
  });

  /**
   * What protects the panel's users from another origin's page while they are
   * signed in, layer by layer:
   * - Reading: `Access-Control-Allow-Origin` goes to listed origins only, so
   *   fetch rejects; even an opaque `no-cors` answer is withheld from the page,
   *   as the API sends `Cross-Origin-Resource-Policy: same-origin` (helmet).
   * - A JSON write, or any request carrying `X-CSRF-Token`, is not a "simple"
   *   request: the browser first sends a preflight `OPTIONS`, the API does not
   *   allow the origin, and the write itself is never sent.
   * - A simple request (what a form can send: no custom header, a form or
   *   `text/plain` body) goes out without a preflight. From another site
   *   (`127.0.0.1` against `localhost`; another domain in production) it goes
   *   without the cookies (`SameSite=Lax`/`Strict`). From the same site
   *   (another port of `localhost`; a sibling subdomain in production) the
   *   cookies DO travel, so SameSite alone does not protect the write: the API
   *   refuses it because its body is not JSON (415) and, behind that, because
   *   it has no `X-CSRF-Token` (403 `CSRF_FAILED`) - which it cannot carry
   *   without becoming preflighted. Hence exact origins in `CORS_ORIGINS`, and
   *   the CSRF header even with SameSite cookies.
   */
  describe('from an origin not in CORS_ORIGINS', () => {
    it.each([
      ['the same site (another port of localhost)', 'localhost', true],
      ['another site (127.0.0.1)', '127.0.0.1', false],
    ])('%s: the page reads nothing and writes nothing', async (label, host, sameSite) => {
      const { api, cafe } = guarded;
      const apiUrl = browserUrl(api);
      const context = await browser.newContext();
      const tag = randomBytes(4).toString('hex');
      const item = { categoryId: cafe.categoryId, name: `Forged ${tag}`, price: 1 };
      try {
        await withScreenshots(context, `foreign origin ${label}`, async () => {
          const panel = await openPanel(context, apiUrl);
          expect(await callPage(panel, 'panel', 'signIn', cafe.owner.email, cafe.owner.password)).toMatchObject({
            status: 200,
          });
          const writesBefore = await answeredByStatus(api.url, 'POST', '/api/v1/menu/items');

          const page = await context.newPage();
          const server = host === 'localhost' ? foreignServer : panelServer;
          await page.goto(server.url(host, 'foreign.html'));
          // Cookies are not scoped by port: on the API's host name the page can even read the CSRF cookie...
          const csrfCookie = await callPage<string | null>(page, 'foreign', 'csrfCookie');
          expect(typeof csrfCookie === 'string').toBe(sameSite);

          const refused = { rejected: expect.stringMatching(/TypeError: Failed to fetch/) };
          expect(await callPage(page, 'foreign', 'read', apiUrl)).toEqual(refused);
          // ...and still cannot send it: the header makes the request preflighted, and the preflight fails.
          expect(await callPage(page, 'foreign', 'jsonWrite', apiUrl, item, csrfCookie)).toEqual(refused);
          expect(await callPage(page, 'foreign', 'simpleWrite', apiUrl, item)).toEqual(refused);

          // The server's side: the JSON write never arrived; the simple one did, and was refused.
          const writesAfter = await answeredByStatus(api.url, 'POST', '/api/v1/menu/items');
          expect(answeredSince(writesBefore, writesAfter)).toEqual({ '415': 1 });
          expect(await itemNames(api.url, cafe, tag)).toEqual([]);
          // The attempts met a live session: the user is still signed in on the panel.
          expect(await callPage(panel, 'panel', 'me')).toMatchObject({ status: 200 });
        });
      } finally {
        await context.close();
      }
    });
  });
});
