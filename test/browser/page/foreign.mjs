// A page on an origin the API does not list in CORS_ORIGINS, trying to use the session of a user
// signed in to the admin panel in the same browser. Each attempt reports what the browser let the
// page see: `{ rejected }` when fetch failed, `{ type, status }` otherwise.
const log = document.getElementById('log');

async function attempt(label, url, init) {
  try {
    const response = await fetch(url, { credentials: 'include', ...init });
    let readable = null;
    try {
      readable = await response.text();
    } catch {
      readable = null;
    }
    const result = { type: response.type, status: response.status, readable };
    log.textContent += `${label} -> ${response.type} ${response.status}\n`;
    return result;
  } catch (error) {
    log.textContent += `${label} -> ${String(error)}\n`;
    return { rejected: String(error) };
  }
}

window.foreign = {
  /** The csrf_token cookie, when this page's host is the API's (cookies are not scoped by port). */
  csrfCookie: () =>
    document.cookie
      .split(';')
      .map((pair) => pair.trim().split('='))
      .find(([name]) => name === 'csrf_token')?.[1] ?? null,

  /** Read the signed-in user: a CORS request the API does not allow. */
  read: (api) => attempt('read', `${api}/api/v1/auth/me`),

  /** A JSON write (with the CSRF token, when readable): the browser asks first (preflight). */
  jsonWrite: (api, item, csrfToken) =>
    attempt('json write', `${api}/api/v1/menu/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}) },
      body: JSON.stringify(item),
    }),

  /** A "simple" write, as a form could send it: no preflight; the answer could at best be opaque. */
  simpleWrite: (api, item) =>
    attempt('simple write', `${api}/api/v1/menu/items`, {
      method: 'POST',
      mode: 'no-cors',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify(item),
    }),
};
