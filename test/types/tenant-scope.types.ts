import type { EntityManager, Repository } from 'typeorm';
import { softDeleteLive, withManager, type TenantScope } from '@coffee/database';
import type { ApiKeyRepository } from '../../libs/auth/src/api-keys/api-key.repository';
import type { IdempotencyKeyRepository } from '../../libs/idempotency/src/idempotency-key.repository';
import type { MenuCategoryRepository } from '../../libs/menu/src/categories/menu-category.repository';
import type { MenuItemRepository } from '../../libs/menu/src/items/menu-item.repository';
import type { OrderRepository } from '../../libs/orders/src/order.repository';
import type { TableEntity } from '../../libs/tables/src/table.entity';
import type { TableRepository } from '../../libs/tables/src/table.repository';
import type { UserRepository } from '../../libs/users/src/user.repository';

/*
 * A type test, compiled by `npm run typecheck` and never run: every
 * `@ts-expect-error` line fails the build if a tenant repository starts
 * accepting a bare restaurant id, an unbranded object, no scope, or a bare
 * manager where a scope (with its transaction) belongs.
 */

interface Repositories {
  tables: TableRepository;
  tableRows: Repository<TableEntity>;
  categories: MenuCategoryRepository;
  items: MenuItemRepository;
  orders: OrderRepository;
  users: UserRepository;
  apiKeys: ApiKeyRepository;
  idempotency: IdempotencyKeyRepository;
  manager: EntityManager;
}

const page = { limit: 10, offset: 0 };

export function misuses(r: Repositories, scope: TenantScope): void {
  const forged = { restaurantId: 'r-1' };
  // @ts-expect-error a bare restaurant id is not a scope
  void r.tables.findLive('r-1', 'id');
  // @ts-expect-error an object that merely looks like a scope (say, built from a body) is not one
  void r.tables.findLive(forged, 'id');
  // @ts-expect-error soft deletion takes the scope, not a where clause
  void softDeleteLive(r.tableRows, { restaurantId: 'r-1', id: 'id' });
  // @ts-expect-error no scope at all
  void r.categories.softDelete('id');
  // @ts-expect-error a bare restaurant id
  void r.categories.list('r-1', {}, { field: 'name', direction: 'ASC' }, page);
  // @ts-expect-error a bare restaurant id
  void r.items.findLive('r-1', 'id');
  // @ts-expect-error a bare restaurant id
  void r.orders.find('r-1', 'id');
  // @ts-expect-error a bare restaurant id
  void r.orders.page('r-1', {}, 10, null, 0);
  // @ts-expect-error the manager travels inside the scope, never as its own argument
  void r.orders.nextNumber(r.manager, '2026-01-01');
  // @ts-expect-error a bare restaurant id
  void r.users.list('r-1', {}, { field: 'name', direction: 'ASC' }, page);
  // @ts-expect-error a bare restaurant id
  void r.users.update('r-1', 'id', { name: 'x' });
  // @ts-expect-error a bare restaurant id
  void r.apiKeys.listActive('r-1', page);
  // @ts-expect-error a bare restaurant id
  void r.apiKeys.revoke('r-1', 'id', new Date());
  // @ts-expect-error recording a key needs the tenant too
  void r.idempotency.record(r.manager, { key: 'k', requestHash: 'h', ttlMs: 1, status: 201, body: {} });
  // @ts-expect-error a bare restaurant id
  void r.idempotency.find('r-1', 'key');

  // The accepted forms.
  const tx = withManager(scope, r.manager);
  void r.tables.findLive(scope, 'id');
  void softDeleteLive(scope, r.tableRows, 'id');
  void r.items.countLive(tx);
  void r.orders.nextNumber(tx, '2026-01-01');
  void r.idempotency.record(tx, { key: 'k', requestHash: 'h', ttlMs: 1, status: 201, body: {} });
}
