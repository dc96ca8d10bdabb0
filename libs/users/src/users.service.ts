import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppError, offsetPage, parseSort, type Page, type TenantRole } from '@coffee/common';
import type { TenantPrincipal } from '@coffee/tenancy';
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
    const [rows, total] = await this.users.list(principal.restaurantId, filters, sort, query);
    return offsetPage(rows.map(toUserResponse), total, query);
  }

  async get(principal: TenantPrincipal, id: string): Promise<UserResponse> {
    return toUserResponse(await this.require(principal.restaurantId, id));
  }

  async create(principal: TenantPrincipal, dto: CreateUserDto): Promise<UserResponse> {
    UserAccessPolicy.assertCanCreate(actorOf(principal), dto.role);
    const user = await this.users.insert({
      restaurantId: principal.restaurantId,
      email: dto.email,
      name: dto.name,
      role: dto.role,
      passwordHash: await this.hasher.hash(dto.password),
    });
    return toUserResponse(user);
  }

  async update(principal: TenantPrincipal, id: string, dto: UpdateUserDto): Promise<UserResponse> {
    const target = await this.require(principal.restaurantId, id);
    UserAccessPolicy.assertCanChange(actorOf(principal), { id: target.id, role: target.role as TenantRole }, dto);
    const patch = {
      ...(dto.name !== undefined && { name: dto.name }),
      ...(dto.role !== undefined && { role: dto.role }),
      ...(dto.isActive !== undefined && { isActive: dto.isActive }),
    };
    if (Object.keys(patch).length > 0) await this.users.update(principal.restaurantId, id, patch);
    return toUserResponse(await this.require(principal.restaurantId, id));
  }

  /** Deactivates (never deletes: orders keep pointing at their author). Sign-in and refresh stop at once. */
  async deactivate(principal: TenantPrincipal, id: string): Promise<void> {
    const target = await this.require(principal.restaurantId, id);
    UserAccessPolicy.assertCanChange(
      actorOf(principal),
      { id: target.id, role: target.role as TenantRole },
      { isActive: false },
    );
    await this.users.update(principal.restaurantId, id, { isActive: false });
  }

  /** The owner of a new restaurant, inside the transaction that creates it. */
  async createOwner(
    manager: EntityManager,
    restaurantId: string,
    owner: { email: string; name: string; password: string },
  ): Promise<UserResponse> {
    const user = await this.users.insert(
      {
        restaurantId,
        email: owner.email,
        name: owner.name,
        role: 'owner',
        passwordHash: await this.hasher.hash(owner.password),
      },
      manager,
    );
    return toUserResponse(user);
  }

  private async require(restaurantId: string, id: string): Promise<UserEntity> {
    const user = await this.users.findInRestaurant(restaurantId, id);
    if (!user) throw AppError.notFound('User');
    return user;
  }
}
