import { authConfigFrom, validateEnvironment } from '@coffee/config';
import { AccessTokens } from './access-tokens';
import { CsrfTokens } from './csrf-tokens';

const config = authConfigFrom(validateEnvironment({ JWT_SECRET: 'unit-test-secret-unit-test-secret-123' }));

describe('AccessTokens', () => {
  const tokens = new AccessTokens(config);

  it('round-trips its claims with iss, aud, sub and a 15-minute expiry', () => {
    const jwt = tokens.sign({ sub: 'u1', rid: 'r1', role: 'manager', sid: 'f1' });
    expect(tokens.verify(jwt)).toEqual({ sub: 'u1', rid: 'r1', role: 'manager', sid: 'f1' });
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as Record<
      string,
      number | string
    >;
    expect(payload).toMatchObject({ iss: 'coffee-admin', aud: 'coffee-admin-api', sub: 'u1' });
    expect(Number(payload.exp) - Number(payload.iat)).toBe(900);
    expect(JSON.parse(Buffer.from(jwt.split('.')[0] ?? '', 'base64url').toString())).toMatchObject({ alg: 'HS256' });
  });

  it('takes its lifetime from ACCESS_TOKEN_TTL_SECONDS', () => {
    const short = new AccessTokens(
      authConfigFrom(
        validateEnvironment({ JWT_SECRET: 'unit-test-secret-unit-test-secret-123', ACCESS_TOKEN_TTL_SECONDS: '5' }),
      ),
    );
    const jwt = short.sign({ sub: 'u1', rid: 'r1', role: 'staff', sid: 'f1' });
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as Record<string, number>;
    expect(Number(payload.exp) - Number(payload.iat)).toBe(5);
  });

  it('refuses unsigned and foreign tokens', () => {
    const jwt = tokens.sign({ sub: 'u1', rid: null, role: 'sysadmin', sid: 'f1' });
    const [, payload] = jwt.split('.');
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
    expect(tokens.verify(none)).toBeNull();
    const other = new AccessTokens(
      authConfigFrom(validateEnvironment({ JWT_SECRET: 'another-secret-another-secret-12345' })),
    );
    expect(other.verify(jwt)).toBeNull();
    expect(tokens.verify('garbage')).toBeNull();
  });
});

describe('CsrfTokens', () => {
  const csrf = new CsrfTokens(config);

  it('accepts a token of this session sent in both cookie and header', () => {
    const token = csrf.issue('session-1');
    expect(csrf.verify('session-1', token, token)).toBe(true);
  });

  it('refuses a mismatch, a missing half, another session’s token or a forged one', () => {
    const token = csrf.issue('session-1');
    expect(csrf.verify('session-1', token, csrf.issue('session-1'))).toBe(false);
    expect(csrf.verify('session-1', undefined, token)).toBe(false);
    expect(csrf.verify('session-1', token, undefined)).toBe(false);
    expect(csrf.verify('session-2', token, token)).toBe(false);
    expect(csrf.verify('session-1', 'nonce.forged', 'nonce.forged')).toBe(false);
    expect(csrf.verify('session-1', `${token}.x`, `${token}.x`)).toBe(false);
  });
});
