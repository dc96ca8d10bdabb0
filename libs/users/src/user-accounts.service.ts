import { Injectable } from '@nestjs/common';
import { AppError } from '@coffee/common';
import { PasswordHasher } from './password-hasher';
import type { UserEntity } from './user.entity';
import { UserRepository } from './user.repository';

export interface LockoutPolicy {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

/**
 * Account operations for sign-in: platform-wide lookups, password checks,
 * failure counting and lockout. Used by the auth library; CRUD lives in UsersService.
 */
@Injectable()
export class UserAccountsService {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
  ) {}

  /**
   * The active user with these credentials, or null. Unknown emails cost a
   * dummy verification so the answer time does not reveal which emails exist.
   */
  async verifyCredentials(user: UserEntity | null, password: string): Promise<boolean> {
    if (!user) return this.hasher.verifyAgainstDummy(password);
    return this.hasher.verify(user.passwordHash, password);
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.users.findByEmail(email);
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findById(id);
  }

  /**
   * Takes one of the account's sign-in attempts before its password is
   * checked; false when the account is locked (every attempt is then refused).
   */
  reserveAttempt(user: UserEntity, now: Date, policy: LockoutPolicy): Promise<boolean> {
    return this.users.reserveLoginAttempt(user.id, now, policy.windowMs, policy.maxFailures, policy.lockMs);
  }

  recordSuccess(user: UserEntity, now: Date): Promise<void> {
    return this.users.recordSuccessfulLogin(user.id, now);
  }

  async changePassword(userId: string, currentPassword: string, newPassword: string): Promise<void> {
    const user = await this.users.findById(userId);
    if (!user || !user.isActive) throw AppError.unauthenticated();
    if (!(await this.hasher.verify(user.passwordHash, currentPassword))) {
      throw AppError.validation([{ field: 'currentPassword', message: 'currentPassword is not correct' }]);
    }
    if (currentPassword === newPassword) {
      throw AppError.validation([{ field: 'newPassword', message: 'newPassword must differ from the current one' }]);
    }
    await this.users.setPasswordHash(userId, await this.hasher.hash(newPassword));
  }

  /** Whether any platform admin exists (one indexed lookup). */
  anySysadminExists(): Promise<boolean> {
    return this.users.anySysadmin();
  }

  /** Creates a platform admin unless the email exists already (never overwrites). Returns true if created. */
  async ensureSysadmin(email: string, name: string, password: string): Promise<boolean> {
    if (await this.users.sysadminExists(email)) return false;
    try {
      await this.users.insertSysadmin({
        email,
        name,
        passwordHash: await this.hasher.hash(password),
      });
      return true;
    } catch (error) {
      // Another instance starting at the same moment created it first.
      if (error instanceof AppError && error.code === 'CONFLICT') return false;
      throw error;
    }
  }
}
