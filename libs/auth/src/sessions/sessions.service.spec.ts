import type { AuditTrail } from '@coffee/audit';
import { AppError } from '@coffee/common';
import type { TransactionRunner } from '@coffee/database';
import type { TenantStatusService } from '@coffee/tenancy';
import type { UserAccountsService, UserEntity } from '@coffee/users';
import type { LoginThrottle } from '../throttling/login-throttle';
import type { AccessTokens } from './access-tokens';
import type { CsrfTokens } from './csrf-tokens';
import type { RefreshTokenEntity } from './refresh-token.entity';
import type { RefreshTokenRepository } from './refresh-token.repository';
import { SessionsService } from './sessions.service';

const HOUR = 3600_000;

function user(overrides: Partial<UserEntity> = {}): UserEntity {
  return {
    id: 'u1',
    restaurantId: 'r1',
    email: 'a@b.test',
    name: 'A',
    role: 'owner',
    passwordHash: 'hash',
    isActive: true,
    lastLoginAt: null,
    failedLoginCount: 0,
    failedLoginWindowStart: null,
    lockedUntil: null,
    createdAt: new Date(),
    updatedAt: new Date(),
    ...overrides,
  } as UserEntity;
}

function token(overrides: Partial<RefreshTokenEntity> = {}): RefreshTokenEntity {
  return {
    id: 't1',
    familyId: 'f1',
    userId: 'u1',
    tokenHash: 'h',
    expiresAt: new Date(Date.now() + HOUR),
    rotatedAt: null,
    revokedAt: null,
    ...overrides,
  } as RefreshTokenEntity;
}

function setup() {
  const accounts = {
    findByEmail: jest.fn(),
    findById: jest.fn(),
    verifyCredentials: jest.fn(),
    // The account is "locked" when the fixture says so; the real check is one conditional UPDATE.
    reserveAttempt: jest.fn((u: UserEntity, now: Date) => Promise.resolve(!(u.lockedUntil && u.lockedUntil > now))),
    recordSuccess: jest.fn(),
    changePassword: jest.fn(),
  };
  const refreshTokens = {
    insert: jest.fn(),
    findByHash: jest.fn(),
    claim: jest.fn(),
    revokeFamily: jest.fn(),
    revokeUser: jest.fn(),
  };
  const tenants = { statusOf: jest.fn().mockResolvedValue('active') };
  const throttle = { reserve: jest.fn(), release: jest.fn() };
  const audit = { record: jest.fn() };
  const service = new SessionsService(
    accounts as unknown as UserAccountsService,
    refreshTokens as unknown as RefreshTokenRepository,
    { sign: jest.fn().mockReturnValue('jwt') } as unknown as AccessTokens,
    { issue: jest.fn().mockReturnValue('csrf') } as unknown as CsrfTokens,
    tenants as unknown as TenantStatusService,
    throttle as unknown as LoginThrottle,
    { run: (work: (manager: unknown) => Promise<unknown>) => work({}) } as unknown as TransactionRunner,
    audit as unknown as AuditTrail,
  );
  return { service, accounts, refreshTokens, tenants, throttle, audit };
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error instanceof AppError ? error.code : 'OTHER';
  }
}

describe('SessionsService', () => {
  describe('login', () => {
    it('issues a session, records the success and gives the IP its attempt back', async () => {
      const { service, accounts, refreshTokens, throttle } = setup();
      accounts.findByEmail.mockResolvedValue(user());
      accounts.verifyCredentials.mockResolvedValue(true);
      const session = await service.login('a@b.test', 'pw', '1.2.3.4');
      expect(session).toMatchObject({ accessToken: 'jwt', csrfToken: 'csrf', user: { id: 'u1' } });
      expect(session.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(refreshTokens.insert).toHaveBeenCalledWith(
        expect.objectContaining({ userId: 'u1', tokenHash: expect.stringMatching(/^[0-9a-f]{64}$/) }),
      );
      expect(refreshTokens.insert.mock.calls[0][0].tokenHash).not.toBe(session.refreshToken);
      expect(accounts.recordSuccess).toHaveBeenCalled();
      expect(throttle.release).toHaveBeenCalledWith('1.2.3.4');
    });

    it('reserves the attempt against the IP and the account before checking the password', async () => {
      const { service, accounts, throttle } = setup();
      accounts.findByEmail.mockResolvedValue(user());
      accounts.verifyCredentials.mockImplementation(() => {
        expect(throttle.reserve).toHaveBeenCalledWith('1.2.3.4');
        expect(accounts.reserveAttempt).toHaveBeenCalled();
        return Promise.resolve(false);
      });
      expect(await codeOf(service.login('a@b.test', 'bad', '1.2.3.4'))).toBe('INVALID_CREDENTIALS');
      expect(accounts.verifyCredentials).toHaveBeenCalled();
      expect(throttle.release).not.toHaveBeenCalled();
    });

    it('audits a wrong password for a real account, and the lock when that attempt set it', async () => {
      const { service, accounts, audit } = setup();
      accounts.findByEmail.mockResolvedValue(user());
      accounts.verifyCredentials.mockResolvedValue(false);
      accounts.findById.mockResolvedValue(user());
      expect(await codeOf(service.login('a@b.test', 'bad', 'ip'))).toBe('INVALID_CREDENTIALS');
      expect(audit.record.mock.calls.map(([, entry]: [unknown, { action: string }]) => entry.action)).toEqual([
        'auth.login_failed',
      ]);

      audit.record.mockClear();
      accounts.findById.mockResolvedValue(user({ lockedUntil: new Date(Date.now() + HOUR) }));
      expect(await codeOf(service.login('a@b.test', 'bad', 'ip'))).toBe('INVALID_CREDENTIALS');
      expect(audit.record.mock.calls.map(([, entry]: [unknown, { action: string }]) => entry.action)).toEqual([
        'auth.login_failed',
        'auth.account_locked',
      ]);
    });

    it('audits nothing for an unknown email or a locked account (the table cannot be grown at will)', async () => {
      const { service, accounts, audit } = setup();
      accounts.findByEmail.mockResolvedValue(null);
      accounts.verifyCredentials.mockResolvedValue(false);
      await codeOf(service.login('x@b.test', 'pw', 'ip'));
      const locked = user({ lockedUntil: new Date(Date.now() + HOUR) });
      accounts.findByEmail.mockResolvedValue(locked);
      accounts.findById.mockResolvedValue(locked);
      expect(await codeOf(service.login('a@b.test', 'bad', 'ip'))).toBe('ACCOUNT_LOCKED');
      expect(audit.record).not.toHaveBeenCalled();
    });

    it('checks nothing once the IP is over its budget', async () => {
      const { service, accounts, throttle } = setup();
      throttle.reserve.mockRejectedValue(AppError.rateLimited(30));
      expect(await codeOf(service.login('a@b.test', 'pw', 'ip'))).toBe('RATE_LIMITED');
      expect(accounts.findByEmail).not.toHaveBeenCalled();
    });

    it('answers an unknown email like a wrong password, after a dummy verification', async () => {
      const { service, accounts } = setup();
      accounts.findByEmail.mockResolvedValue(null);
      accounts.verifyCredentials.mockResolvedValue(false);
      expect(await codeOf(service.login('x@b.test', 'pw', 'ip'))).toBe('INVALID_CREDENTIALS');
      expect(accounts.verifyCredentials).toHaveBeenCalledWith(null, 'pw');
      expect(accounts.reserveAttempt).not.toHaveBeenCalled();
    });

    it('refuses a locked account before checking the password', async () => {
      const { service, accounts } = setup();
      const locked = user({ lockedUntil: new Date(Date.now() + HOUR) });
      accounts.findByEmail.mockResolvedValue(locked);
      accounts.findById.mockResolvedValue(locked);
      expect(await codeOf(service.login('a@b.test', 'right', 'ip'))).toBe('ACCOUNT_LOCKED');
      expect(accounts.verifyCredentials).not.toHaveBeenCalled();
    });

    it('refuses a deactivated user exactly like a wrong password', async () => {
      const { service, accounts } = setup();
      accounts.findByEmail.mockResolvedValue(user({ isActive: false }));
      accounts.verifyCredentials.mockResolvedValue(true);
      expect(await codeOf(service.login('a@b.test', 'right', 'ip'))).toBe('INVALID_CREDENTIALS');
    });

    it('refuses a suspended restaurant once the password is right', async () => {
      const { service, accounts, tenants } = setup();
      accounts.findByEmail.mockResolvedValue(user());
      accounts.verifyCredentials.mockResolvedValue(true);
      tenants.statusOf.mockResolvedValue('suspended');
      expect(await codeOf(service.login('a@b.test', 'right', 'ip'))).toBe('TENANT_SUSPENDED');
    });
  });

  describe('refresh', () => {
    it('rotates a live token within its family', async () => {
      const { service, accounts, refreshTokens } = setup();
      refreshTokens.findByHash.mockResolvedValue(token());
      refreshTokens.claim.mockResolvedValue(true);
      accounts.findById.mockResolvedValue(user());
      const session = await service.refresh('opaque');
      expect(session.accessToken).toBe('jwt');
      expect(refreshTokens.insert).toHaveBeenCalledWith(expect.objectContaining({ familyId: 'f1' }));
      expect(refreshTokens.revokeFamily).not.toHaveBeenCalled();
    });

    it('revokes the family when a rotated token is replayed', async () => {
      const { service, refreshTokens } = setup();
      refreshTokens.findByHash.mockResolvedValue(token({ rotatedAt: new Date() }));
      expect(await codeOf(service.refresh('opaque'))).toBe('UNAUTHENTICATED');
      expect(refreshTokens.revokeFamily).toHaveBeenCalledWith('f1', expect.any(Date));
      expect(refreshTokens.insert).not.toHaveBeenCalled();
    });

    it('treats a lost race for the same token as reuse', async () => {
      const { service, refreshTokens } = setup();
      refreshTokens.findByHash.mockResolvedValue(token());
      refreshTokens.claim.mockResolvedValue(false);
      expect(await codeOf(service.refresh('opaque'))).toBe('UNAUTHENTICATED');
      expect(refreshTokens.revokeFamily).toHaveBeenCalledWith('f1', expect.any(Date));
    });

    it('refuses unknown, revoked and expired tokens, and deactivated users', async () => {
      const { service, accounts, refreshTokens } = setup();
      expect(await codeOf(service.refresh(undefined))).toBe('UNAUTHENTICATED');
      refreshTokens.findByHash.mockResolvedValueOnce(null);
      expect(await codeOf(service.refresh('x'))).toBe('UNAUTHENTICATED');
      refreshTokens.findByHash.mockResolvedValueOnce(token({ revokedAt: new Date() }));
      expect(await codeOf(service.refresh('x'))).toBe('UNAUTHENTICATED');
      refreshTokens.claim.mockResolvedValue(true);
      refreshTokens.findByHash.mockResolvedValueOnce(token({ expiresAt: new Date(Date.now() - 1) }));
      expect(await codeOf(service.refresh('x'))).toBe('UNAUTHENTICATED');
      refreshTokens.findByHash.mockResolvedValueOnce(token());
      accounts.findById.mockResolvedValueOnce(user({ isActive: false }));
      expect(await codeOf(service.refresh('x'))).toBe('UNAUTHENTICATED');
      expect(refreshTokens.insert).not.toHaveBeenCalled();
    });
  });

  it('change-password revokes every other session of the user', async () => {
    const { service, accounts, refreshTokens } = setup();
    await service.changePassword('u1', 'f1', 'old', 'new-password-123');
    expect(accounts.changePassword).toHaveBeenCalledWith('u1', 'old', 'new-password-123');
    expect(refreshTokens.revokeUser).toHaveBeenCalledWith('u1', expect.any(Date), 'f1');
  });
});
