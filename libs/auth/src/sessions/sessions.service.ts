import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditTrail } from '@coffee/audit';
import { AppError } from '@coffee/common';
import { newId, TransactionRunner } from '@coffee/database';
import { TenantStatusService } from '@coffee/tenancy';
import { toUserResponse, UserAccountsService, type UserEntity, type UserResponse } from '@coffee/users';
import { LOCKOUT, REFRESH_TTL_SECONDS } from '../auth.constants';
import { LoginThrottle } from '../throttling/login-throttle';
import { AccessTokens } from './access-tokens';
import { CsrfTokens } from './csrf-tokens';
import { RefreshTokenRepository } from './refresh-token.repository';

/** What a successful sign-in or refresh hands to the controller to put in cookies. */
export interface IssuedSession {
  user: UserResponse;
  accessToken: string;
  refreshToken: string;
  csrfToken: string;
}

const invalidCredentials = (): AppError => new AppError('INVALID_CREDENTIALS', 'Email or password is incorrect');
const sessionExpired = (): AppError => AppError.unauthenticated('The session has ended; sign in again');

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Sign-in, refresh rotation with reuse detection, sign-out and password
 * change. Refresh tokens are opaque, stored hashed, rotated on every use and
 * grouped in families: replaying a rotated token revokes its whole family.
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly accounts: UserAccountsService,
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly accessTokens: AccessTokens,
    private readonly csrf: CsrfTokens,
    private readonly tenants: TenantStatusService,
    private readonly throttle: LoginThrottle,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditTrail,
  ) {}

  /**
   * Both limits reserve the attempt before the password is checked (per IP,
   * then per account), so parallel guesses cannot all pass a check made before
   * any failure was recorded.
   */
  async login(email: string, password: string, ip: string): Promise<IssuedSession> {
    await this.throttle.reserve(ip);
    const now = new Date();
    const user = await this.accounts.findByEmail(email);
    if (user?.isActive && !(await this.accounts.reserveAttempt(user, now, LOCKOUT))) {
      const lockedUntil =
        (await this.accounts.findById(user.id))?.lockedUntil ?? new Date(now.getTime() + LOCKOUT.lockMs);
      throw new AppError('ACCOUNT_LOCKED', 'Too many failed sign-ins; try again in 15 minutes', {
        headers: { 'Retry-After': String(Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000))) },
      });
    }
    const valid = await this.accounts.verifyCredentials(user, password);
    if (user?.isActive && !valid) await this.auditFailure(user, now);
    if (!user || !valid || !user.isActive) throw invalidCredentials();
    await this.assertTenantActive(user);
    await this.accounts.recordSuccess(user, now);
    await this.throttle.release(ip);
    return this.issue({ ...user, lastLoginAt: now } as UserEntity, newId(), now);
  }

  async refresh(token: string | undefined): Promise<IssuedSession> {
    if (!token) throw sessionExpired();
    const now = new Date();
    const stored = await this.refreshTokens.findByHash(hashToken(token));
    if (!stored || stored.revokedAt) throw sessionExpired();
    if (stored.rotatedAt || !(await this.refreshTokens.claim(stored.id, now))) {
      // A rotated token came back (or two requests raced with one token): assume theft.
      await this.refreshTokens.revokeFamily(stored.familyId, now);
      throw sessionExpired();
    }
    if (stored.expiresAt.getTime() <= now.getTime()) throw sessionExpired();
    const user = await this.accounts.findById(stored.userId);
    if (!user || !user.isActive) {
      await this.refreshTokens.revokeFamily(stored.familyId, now);
      throw sessionExpired();
    }
    await this.assertTenantActive(user);
    return this.issue(user, stored.familyId, now);
  }

  /** Ends the session of this refresh token and/or session id; unknown ones are ignored. */
  async logout(refreshToken: string | undefined, sessionId: string | null): Promise<void> {
    const now = new Date();
    if (refreshToken) {
      const stored = await this.refreshTokens.findByHash(hashToken(refreshToken));
      if (stored) await this.refreshTokens.revokeFamily(stored.familyId, now);
    }
    if (sessionId) await this.refreshTokens.revokeFamily(sessionId, now);
  }

  /** Ends every session of the user: their access tokens are refused from the next request on. */
  async logoutAll(userId: string): Promise<void> {
    await this.refreshTokens.revokeUser(userId, new Date());
  }

  /** Changes the password and ends every other session of the user. */
  async changePassword(
    userId: string,
    sessionId: string | null,
    currentPassword: string,
    newPassword: string,
  ): Promise<void> {
    await this.accounts.changePassword(userId, currentPassword, newPassword);
    await this.refreshTokens.revokeUser(userId, new Date(), sessionId ?? undefined);
  }

  async me(userId: string): Promise<UserResponse> {
    const user = await this.accounts.findById(userId);
    if (!user || !user.isActive) throw AppError.unauthenticated();
    return toUserResponse(user);
  }

  /**
   * Audits a wrong password for an existing, active account, and the lock when
   * this attempt is the one that locked it. The table cannot be grown without
   * bound: attempts on a locked account are refused before the password check
   * and are not audited, so an account yields at most LOCKOUT.maxFailures
   * `auth.login_failed` rows and one `auth.account_locked` row per lockout
   * window; unknown emails are not audited at all (an attacker could invent
   * them endlessly); the per-IP throttle and the logs cover those. The rows
   * are written in a transaction of their own after the (slow) password check,
   * since the change they record, the counted attempt, is a single statement.
   */
  private async auditFailure(user: UserEntity, now: Date): Promise<void> {
    const lockedUntil = (await this.accounts.findById(user.id))?.lockedUntil;
    const lockedNow = lockedUntil !== null && lockedUntil !== undefined && lockedUntil.getTime() > now.getTime();
    const actor = { id: user.id, role: user.role };
    const account = { email: user.email };
    await this.transactions.run(async (manager) => {
      await this.audit.record(manager, {
        action: 'auth.login_failed',
        restaurantId: user.restaurantId,
        targetType: 'user',
        targetId: user.id,
        after: account,
        actor,
      });
      if (lockedNow) {
        await this.audit.record(manager, {
          action: 'auth.account_locked',
          restaurantId: user.restaurantId,
          targetType: 'user',
          targetId: user.id,
          after: { ...account, lockedUntil: lockedUntil.toISOString() },
          actor,
        });
      }
    });
  }

  private async assertTenantActive(user: UserEntity): Promise<void> {
    if (!user.restaurantId) return;
    const status = await this.tenants.statusOf(user.restaurantId);
    if (status !== 'active') throw new AppError('TENANT_SUSPENDED', 'This restaurant is suspended');
  }

  private async issue(user: UserEntity, familyId: string, now: Date): Promise<IssuedSession> {
    const refreshToken = randomBytes(32).toString('base64url');
    await this.refreshTokens.insert({
      familyId,
      userId: user.id,
      tokenHash: hashToken(refreshToken),
      expiresAt: new Date(now.getTime() + REFRESH_TTL_SECONDS * 1000),
    });
    return {
      user: toUserResponse(user),
      accessToken: this.accessTokens.sign({ sub: user.id, rid: user.restaurantId, role: user.role, sid: familyId }),
      refreshToken,
      csrfToken: this.csrf.issue(familyId),
    };
  }
}
