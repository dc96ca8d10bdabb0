import { REDACTED, redactText, scrubEvent } from './scrub';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJl';
const API_KEY = `ck_live_${'a'.repeat(43)}`;

describe('scrubEvent', () => {
  it('keeps of the request only its method, path and harmless headers', () => {
    const event = scrubEvent({
      type: undefined,
      request: {
        method: 'POST',
        url: 'https://api.example.test/api/v1/users?token=abc',
        query_string: 'token=abc',
        cookies: { access_token: JWT },
        data: { password: 'hunter2-Password' },
        env: { REMOTE_ADDR: '10.0.0.1' },
        headers: {
          Authorization: `Bearer ${JWT}`,
          cookie: `access_token=${JWT}`,
          'x-csrf-token': 'csrf',
          'x-api-key': API_KEY,
          'User-Agent': 'curl/8',
          'x-request-id': 'req-1',
        },
      },
    });

    expect(event.request).toEqual({
      method: 'POST',
      url: 'https://api.example.test/api/v1/users',
      headers: { 'User-Agent': 'curl/8', 'x-request-id': 'req-1' },
    });
  });

  it('keeps only the user id, drops breadcrumbs, redacts secret keys and credentials in text', () => {
    const event = scrubEvent({
      type: undefined,
      message: `failed for Bearer ${JWT}`,
      user: { id: 'u1', email: 'olivia@example.test', ip_address: '10.0.0.1' },
      breadcrumbs: [{ message: 'SELECT password_hash' }],
      extra: { job: { attempts: 2, apiKey: API_KEY, nested: { refreshToken: 'r', note: `key ${API_KEY}` } } },
      contexts: { runtime: { name: 'node' }, session: { id: 's1' } },
      exception: { values: [{ type: 'Error', value: `token ${JWT} refused` }] },
    });

    expect(event.user).toEqual({ id: 'u1' });
    expect(event.breadcrumbs).toBeUndefined();
    expect(event.extra).toEqual({
      job: { attempts: 2, apiKey: REDACTED, nested: { refreshToken: REDACTED, note: `key ${REDACTED}` } },
    });
    expect(event.contexts).toEqual({ runtime: { name: 'node' }, session: REDACTED });
    expect(event.message).toBe(`failed for ${REDACTED}`);
    expect(event.exception?.values?.[0]?.value).toBe(`token ${REDACTED} refused`);
    expect(JSON.stringify(event)).not.toMatch(/eyJ|ck_live_|olivia|hunter2/);
  });

  it("strips a database error's quoted literals", () => {
    const failed = Object.assign(new Error("Duplicate entry 'ann@cafe.test' for key 'uq_users_email'"), {
      sqlMessage: "Duplicate entry 'ann@cafe.test' for key 'uq_users_email'",
    });
    const event = scrubEvent(
      { type: undefined, exception: { values: [{ type: 'Error', value: failed.message }] } },
      { originalException: failed },
    );
    expect(event.exception?.values?.[0]?.value).toBe('Duplicate entry ? for key ?');
  });

  it('drops a user without an id', () => {
    expect(scrubEvent({ type: undefined, user: { ip_address: '10.0.0.1' } }).user).toBeUndefined();
  });
});

describe('redactText', () => {
  it('leaves ordinary messages alone', () => {
    expect(redactText('Cannot read properties of undefined (reading "id")')).toBe(
      'Cannot read properties of undefined (reading "id")',
    );
  });
});
