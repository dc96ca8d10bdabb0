import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, IsNull, type Repository } from 'typeorm';
import { AppError, uniqueOr, type SortSpec, type TenantRole } from '@coffee/common';
import { repositoryIn, type TenantScope } from '@coffee/database';
import { UserEntity } from './user.entity';

export interface UserFilters {
  role?: TenantRole;
  isActive?: boolean;
  q?: string;
}

export type UserSortField = 'createdAt' | 'name' | 'email';

export type NewUser = Pick<UserEntity, 'email' | 'name' | 'role' | 'passwordHash'>;

export type UserPatch = Partial<Pick<UserEntity, 'name' | 'role' | 'isActive'>>;

/**
 * Users of restaurants (tenant-scoped methods take the tenant scope first) and
 * the few platform-wide methods sign-in and bootstrap need: an email is unique
 * across restaurants and a sign-in names no restaurant, so the lookup by email
 * cannot be scoped; by id, the id comes from a verified token; the sysadmin
 * belongs to no restaurant.
 */
@Injectable()
export class UserRepository {
  constructor(@InjectRepository(UserEntity) private readonly users: Repository<UserEntity>) {}

  private repo(scope: TenantScope): Repository<UserEntity> {
    return repositoryIn(scope, UserEntity, this.users);
  }

  insert(scope: TenantScope, data: NewUser): Promise<UserEntity> {
    return this.save(this.repo(scope), { ...data, restaurantId: scope.restaurantId });
  }

  findInRestaurant(scope: TenantScope, id: string): Promise<UserEntity | null> {
    return this.repo(scope).findOneBy({ restaurantId: scope.restaurantId, id });
  }

  async list(
    scope: TenantScope,
    filters: UserFilters,
    sort: SortSpec<UserSortField>,
    page: { limit: number; offset: number },
  ): Promise<[UserEntity[], number]> {
    const query = this.repo(scope)
      .createQueryBuilder('u')
      .where('u.restaurant_id = :restaurantId', { restaurantId: scope.restaurantId });
    if (filters.role) query.andWhere('u.role = :role', { role: filters.role });
    if (filters.isActive !== undefined) query.andWhere('u.is_active = :isActive', { isActive: filters.isActive });
    if (filters.q) {
      const like = `%${filters.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query.andWhere(
        new Brackets((or) => or.where('LOWER(u.name) LIKE :like', { like }).orWhere('u.email LIKE :like', { like })),
      );
    }
    return query
      .orderBy(`u.${sort.field}`, sort.direction)
      .addOrderBy('u.id', sort.direction)
      .take(page.limit)
      .skip(page.offset)
      .getManyAndCount();
  }

  async update(scope: TenantScope, id: string, patch: UserPatch): Promise<void> {
    await this.repo(scope).update({ restaurantId: scope.restaurantId, id }, patch);
  }

  /** Active users of every role, the owner included: what the plan's `maxUsers` limits. */
  countActive(scope: TenantScope): Promise<number> {
    return this.repo(scope).countBy({ restaurantId: scope.restaurantId, isActive: true });
  }

  countByRole(scope: TenantScope, role: TenantRole): Promise<number> {
    return this.repo(scope).countBy({ restaurantId: scope.restaurantId, role, isActive: true });
  }

  // --- platform-wide by design, for sign-in and bootstrap (see the class comment) ---

  /** The platform administrator, who belongs to no restaurant. */
  insertSysadmin(data: Omit<NewUser, 'role'>): Promise<UserEntity> {
    return this.save(this.users, { ...data, role: 'sysadmin', restaurantId: null });
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ email: email.toLowerCase() });
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ id });
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.users.update({ id }, { passwordHash });
  }

  /**
   * Reserves one sign-in attempt before the password is checked: counts it in
   * a sliding window and, when it is the `maxFailures`-th, locks the account in
   * the same statement. The statement only applies to an unlocked account, so
   * of parallel attempts exactly `maxFailures` get through; the rest find the
   * lock (false). A successful sign-in clears the count (recordSuccessfulLogin).
   *
   * SET clauses are ordered so that MySQL (which evaluates them left to right,
   * each seeing the columns already assigned) and SQLite (which evaluates all
   * against the old row) compute the same values.
   */
  async reserveLoginAttempt(
    id: string,
    now: Date,
    windowMs: number,
    maxFailures: number,
    lockMs: number,
  ): Promise<boolean> {
    const expired = 'failed_login_window_start IS NULL OR failed_login_window_start < :windowStart';
    const next = `CASE WHEN ${expired} THEN 1 ELSE failed_login_count + 1 END`;
    const result = await this.users
      .createQueryBuilder()
      .update(UserEntity)
      .set({
        lockedUntil: () => `CASE WHEN ${next} >= :maxFailures THEN :lockedUntil ELSE locked_until END`,
        failedLoginCount: () => next,
        failedLoginWindowStart: () => `CASE WHEN ${expired} THEN :now ELSE failed_login_window_start END`,
      })
      .where('id = :id', { id })
      .andWhere('(locked_until IS NULL OR locked_until <= :now)')
      .setParameters({
        windowStart: new Date(now.getTime() - windowMs),
        now,
        maxFailures,
        lockedUntil: new Date(now.getTime() + lockMs),
      })
      .callListeners(false)
      .updateEntity(false)
      .execute();
    return (result.affected ?? 0) === 1;
  }

  async recordSuccessfulLogin(id: string, now: Date): Promise<void> {
    await this.users.update(
      { id },
      { lastLoginAt: now, failedLoginCount: 0, failedLoginWindowStart: null, lockedUntil: null },
    );
  }

  /** Whether any platform admin exists: sysadmins are the users without a restaurant (ix_users_restaurant). */
  anySysadmin(): Promise<boolean> {
    return this.users.exists({ where: { restaurantId: IsNull(), role: 'sysadmin' } });
  }

  async sysadminExists(email: string): Promise<boolean> {
    return (await this.users.countBy({ email: email.toLowerCase() })) > 0;
  }

  private save(repo: Repository<UserEntity>, data: NewUser & Pick<UserEntity, 'restaurantId'>): Promise<UserEntity> {
    const user = repo.create({ ...data, email: data.email.toLowerCase(), isActive: true });
    return uniqueOr(
      () => repo.save(user),
      () => AppError.conflict('A user with this email already exists'),
    );
  }
}
