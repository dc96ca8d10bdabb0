// The admin panel's API client, as a single-page app on its own origin writes it:
// - every call sends the cookies (`credentials: 'include'`); the page never sees the access or
//   refresh token (HttpOnly);
// - the CSRF token comes from the body of the sign-in and refresh answers and goes back in
//   `X-CSRF-Token` on every write (the csrf_token cookie belongs to the API's host, which an SPA on
//   another host cannot read);
// - an expired access token answers 401: refresh once, then carry on.
// Each call is listed on the page (a failure screenshot shows what the browser saw) and returned
// as `{ status, body }` or `{ error }` for the test to assert on.
const api = new URLSearchParams(location.search).get('api') ?? '';
const log = document.getElementById('log');
let csrfToken = '';

function show(line) {
  log.textContent += `${line}\n`;
}

async function call(method, path, body) {
  const headers = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  try {
    const response = await fetch(api + path, {
      method,
      credentials: 'include',
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const result = { status: response.status, body: text ? JSON.parse(text) : null };
    show(`${method} ${path} -> ${result.status} ${result.body?.code ?? ''}`);
    return result;
  } catch (error) {
    show(`${method} ${path} -> ${String(error)}`);
    return { error: String(error) };
  }
}

function keepCsrfToken(result) {
  if (result.status === 200) csrfToken = result.body.csrfToken;
  return result;
}

window.panel = {
  signIn: async (email, password) => keepCsrfToken(await call('POST', '/api/v1/auth/login', { email, password })),
  refresh: async () => keepCsrfToken(await call('POST', '/api/v1/auth/refresh')),
  logout: () => call('POST', '/api/v1/auth/logout'),
  me: () => call('GET', '/api/v1/auth/me'),
  createItem: (item) => call('POST', '/api/v1/menu/items', item),
  /** Polls `GET /auth/me` until it is refused: the access token (and its cookie) has expired. */
  untilSignedOut: async (intervalMs, attempts) => {
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const result = await call('GET', '/api/v1/auth/me');
      if (result.status !== 200) return { ...result, attempt };
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
    return { error: `still signed in after ${attempts} attempts` };
  },
  /** What the page's scripts can read of the cookies (HttpOnly ones are hidden from them). */
  readableCookies: () =>
    document.cookie
      .split(';')
      .map((pair) => pair.split('=')[0].trim())
      .filter((name) => name.length > 0),
};
