import { Injectable } from '@nestjs/common';
import { AppError, offsetPage, parseSort, type Page, type TenantRole } from '@coffee/common';
import type { TenantScope } from '@coffee/database';
import { scopeOf, type TenantPrincipal } from '@coffee/tenancy';
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

/** The users of one restaurant, managed by its owner and managers. */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
  ) {}

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
    const user = await this.users.insert(scopeOf(principal), {
      email: dto.email,
      name: dto.name,
      role: dto.role,
      passwordHash: await this.hasher.hash(dto.password),
    });
    return toUserResponse(user);
  }

  async update(principal: TenantPrincipal, id: string, dto: UpdateUserDto): Promise<UserResponse> {
    const scope = scopeOf(principal);
    const target = await this.require(scope, id);
    UserAccessPolicy.assertCanChange(actorOf(principal), { id: target.id, role: target.role as TenantRole }, dto);
    const patch = {
      ...(dto.name !== undefined && { name: dto.name }),
      ...(dto.role !== undefined && { role: dto.role }),
      ...(dto.isActive !== undefined && { isActive: dto.isActive }),
    };
    if (Object.keys(patch).length > 0) await this.users.update(scope, id, patch);
    return toUserResponse(await this.require(scope, id));
  }

  /** Deactivates (never deletes: orders keep pointing at their author). Sign-in and refresh stop at once. */
  async deactivate(principal: TenantPrincipal, id: string): Promise<void> {
    const scope = scopeOf(principal);
    const target = await this.require(scope, id);
    UserAccessPolicy.assertCanChange(
      actorOf(principal),
      { id: target.id, role: target.role as TenantRole },
      { isActive: false },
    );
    await this.users.update(scope, id, { isActive: false });
  }

  /** The owner of a new restaurant; `scope` carries the transaction that creates it. */
  async createOwner(
    scope: TenantScope,
    owner: { email: string; name: string; password: string },
  ): Promise<UserResponse> {
    const user = await this.users.insert(scope, {
      email: owner.email,
      name: owner.name,
      role: 'owner',
      passwordHash: await this.hasher.hash(owner.password),
    });
    return toUserResponse(user);
  }

  private async require(scope: TenantScope, id: string): Promise<UserEntity> {
    const user = await this.users.findInRestaurant(scope, id);
    if (!user) throw AppError.notFound('User');
    return user;
  }
}
