import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AuditTrail } from '@coffee/audit';
import { AppError, offsetPage, parseSort, type Page, type TenantRole } from '@coffee/common';
import { TransactionRunner, withManager, type TenantScope, type TransactionScope } from '@coffee/database';
import { PlanLimits, scopeOf, UsageCounters, type TenantPrincipal } from '@coffee/tenancy';
import {
  toUserResponse,
  type CreateUserDto,
  type ListUsersQueryDto,
  type UpdateUserDto,
  type UserResponse,
} from './dto/user.dto';
import { PasswordHasher } from './password-hasher';
import type { UserEntity } from './user.entity';
import { UserAccessPolicy, type Actor } from './user-access.policy';
import { UserRepository, type UserSortField } from './user.repository';

const SORT_FIELDS: readonly UserSortField[] = ['createdAt', 'name', 'email'];

function actorOf(principal: TenantPrincipal): Actor {
  return { userId: principal.userId, role: principal.role as TenantRole };
}

/** What the audit log keeps of a user: never the password hash. */
function audited(user: Pick<UserEntity, 'email' | 'name' | 'role' | 'isActive'>): Record<string, unknown> {
  return { email: user.email, name: user.name, role: user.role, isActive: user.isActive };
}

/**
 * The users of one restaurant, managed by its owner and managers. Active
 * users (the owner included) count against the plan: creating one and
 * reactivating one pass the plan limit gate, in the transaction that writes.
 */
@Injectable()
export class UsersService implements OnModuleInit {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly transactions: TransactionRunner,
    private readonly limits: PlanLimits,
    private readonly usage: UsageCounters,
    private readonly audit: AuditTrail,
  ) {}

  onModuleInit(): void {
    this.usage.register('users', (scope) => this.users.countActive(scope));
  }

  async list(principal: TenantPrincipal, query: ListUsersQueryDto): Promise<Page<UserResponse>> {
    const sort = parseSort(query.sort, SORT_FIELDS, { field: 'createdAt', direction: 'ASC' });
    const filters = {
      ...(query.role && { role: query.role }),
      ...(query.isActive !== undefined && { isActive: query.isActive }),
      ...(query.q && { q: query.q }),
    };
    const [rows, total] = await this.users.list(scopeOf(principal), filters, sort, query);
    return offsetPage(rows.map(toUserResponse), total, query);
  }

  async get(principal: TenantPrincipal, id: string): Promise<UserResponse> {
    return toUserResponse(await this.require(scopeOf(principal), id));
  }

  async create(principal: TenantPrincipal, dto: CreateUserDto): Promise<UserResponse> {
    UserAccessPolicy.assertCanCreate(actorOf(principal), dto.role);
    // Hashing is slow on purpose: done before the transaction, which then holds its locks briefly.
    const passwordHash = await this.hasher.hash(dto.password);
    return this.transactions.run(async (manager) => {
      const tx = withManager(scopeOf(principal), manager);
      await this.limits.assertRoomFor(tx, 'users');
      const user = await this.users.insert(tx, { email: dto.email, name: dto.name, role: dto.role, passwordHash });
      await this.audit.record(manager, {
        action: 'user.created',
        restaurantId: tx.restaurantId,
        targetType: 'user',
        targetId: user.id,
        after: audited(user),
      });
      return toUserResponse(user);
    });
  }

  async update(principal: TenantPrincipal, id: string, dto: UpdateUserDto): Promise<UserResponse> {
    return this.transactions.run(async (manager) => {
      const tx = withManager(scopeOf(principal), manager);
      const target = await this.require(tx, id);
      UserAccessPolicy.assertCanChange(actorOf(principal), { id: target.id, role: target.role as TenantRole }, dto);
      const patch = {
        ...(dto.name !== undefined && { name: dto.name }),
        ...(dto.role !== undefined && { role: dto.role }),
        ...(dto.isActive !== undefined && { isActive: dto.isActive }),
      };
      if (dto.isActive === true && !target.isActive) await this.limits.assertRoomFor(tx, 'users');
      if (Object.keys(patch).length > 0) await this.users.update(tx, id, patch);
      const updated = await this.require(tx, id);
      if (dto.role !== undefined && dto.role !== target.role) {
        await this.audit.record(manager, {
          action: 'user.role_changed',
          restaurantId: tx.restaurantId,
          targetType: 'user',
          targetId: id,
          before: { role: target.role },
          after: { role: updated.role },
        });
      }
      if (dto.isActive === false && target.isActive) await this.auditDeactivation(tx, target);
      return toUserResponse(updated);
    });
  }

  /** Deactivates (never deletes: orders keep pointing at their author). Sign-in and refresh stop at once. */
  async deactivate(principal: TenantPrincipal, id: string): Promise<void> {
    await this.transactions.run(async (manager) => {
      const tx = withManager(scopeOf(principal), manager);
      const target = await this.require(tx, id);
      UserAccessPolicy.assertCanChange(
        actorOf(principal),
        { id: target.id, role: target.role as TenantRole },
        { isActive: false },
      );
      await this.users.update(tx, id, { isActive: false });
      if (target.isActive) await this.auditDeactivation(tx, target);
    });
  }

  private async auditDeactivation(tx: TransactionScope, target: UserEntity): Promise<void> {
    await this.audit.record(tx.manager, {
      action: 'user.deactivated',
      restaurantId: tx.restaurantId,
      targetType: 'user',
      targetId: target.id,
      before: audited(target),
      after: { ...audited(target), isActive: false },
    });
  }

  /** The owner of a new restaurant; `scope` carries the transaction that creates it. */
  async createOwner(
    scope: TransactionScope,
    owner: { email: string; name: string; password: string },
  ): Promise<UserResponse> {
    const user = await this.users.insert(scope, {
      email: owner.email,
      name: owner.name,
      role: 'owner',
      passwordHash: await this.hasher.hash(owner.password),
    });
    await this.audit.record(scope.manager, {
      action: 'user.created',
      restaurantId: scope.restaurantId,
      targetType: 'user',
      targetId: user.id,
      after: audited(user),
    });
    return toUserResponse(user);
  }

  private async require(scope: TenantScope, id: string): Promise<UserEntity> {
    const user = await this.users.findInRestaurant(scope, id);
    if (!user) throw AppError.notFound('User');
    return user;
  }
}
