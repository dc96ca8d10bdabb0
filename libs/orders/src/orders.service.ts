import { Injectable } from '@nestjs/common';
import { AppError, parseSort, type FieldError, type Page, type SortSpec } from '@coffee/common';
import { ReadReplica, type TenantScope } from '@coffee/database';
import { scopeOf, type TenantPrincipal } from '@coffee/tenancy';
import { OPEN_STATUSES, type OrderStatus } from './domain/order-status';
import type { ListOrdersQueryDto, OrderResponse } from './dto/order.dto';
import { toOrderResponse } from './order.mapper';
import type { OrderEntity } from './order.entities';
import { OrderRepository, type OrderCursor, type OrderDirection, type OrderFilters } from './order.repository';

export interface HistoryEntry {
  from: OrderStatus | null;
  to: OrderStatus;
  by: string | null;
  at: string;
  reason: string | null;
}

const DEFAULT_SORT: SortSpec<'createdAt'> = { field: 'createdAt', direction: 'DESC' };

function sortParam(direction: OrderDirection): string {
  return direction === 'DESC' ? '-createdAt' : 'createdAt';
}

/** `sort|createdAt|id`: a cursor carries the sort it was made for. */
function encodeCursor(order: OrderEntity, direction: OrderDirection): string {
  return Buffer.from(`${sortParam(direction)}|${order.createdAt.toISOString()}|${order.id}`).toString('base64url');
}

function decodeCursor(cursor: string, direction: OrderDirection): OrderCursor {
  const [sort, at, id, ...rest] = Buffer.from(cursor, 'base64url').toString().split('|');
  const createdAt = new Date(at ?? '');
  if (rest.length > 0 || !id || !/^[0-9a-f-]{36}$/.test(id) || Number.isNaN(createdAt.getTime())) {
    throw AppError.validation([{ field: 'cursor', message: 'cursor must be a meta.nextCursor value' }]);
  }
  if (sort !== sortParam(direction)) {
    throw AppError.validation([
      {
        field: 'cursor',
        message: `this cursor pages sort=${sort}; send the same sort with it, or start without a cursor`,
      },
    ]);
  }
  return { createdAt, id };
}

/** Reading orders: lists with keyset paging, one order, its history, the kitchen view. */
@Injectable()
export class OrdersService {
  constructor(
    private readonly orders: OrderRepository,
    private readonly replica: ReadReplica,
  ) {}

  /**
   * On a read replica when one is configured (and caught up with the primary
   * as of this request: an order placed before it is listed). One order, its
   * history and the kitchen view stay on the primary.
   */
  list(principal: TenantPrincipal, query: ListOrdersQueryDto): Promise<Page<OrderResponse>> {
    const filters = this.filters(query);
    const { direction } = parseSort(query.sort, ['createdAt'], DEFAULT_SORT);
    const after = query.cursor ? decodeCursor(query.cursor, direction) : null;
    return this.replica.readIn(scopeOf(principal), (scope) => this.page(scope, query, filters, direction, after));
  }

  private async page(
    scope: TenantScope,
    query: ListOrdersQueryDto,
    filters: OrderFilters,
    direction: OrderDirection,
    after: OrderCursor | null,
  ): Promise<Page<OrderResponse>> {
    const rows = await this.orders.page(scope, filters, query.limit + 1, after, query.offset, direction);
    const hasMore = rows.length > query.limit;
    const pageRows = rows.slice(0, query.limit);
    const lines = await this.orders.linesOf(
      scope,
      pageRows.map((order) => order.id),
    );
    const total = after ? null : await this.orders.count(scope, filters);
    return {
      items: pageRows.map((order) => toOrderResponse(order, lines.get(order.id) ?? [])),
      meta: {
        limit: query.limit,
        offset: after ? 0 : query.offset,
        total,
        hasMore,
        nextCursor: hasMore && pageRows.length > 0 ? encodeCursor(pageRows[pageRows.length - 1], direction) : null,
      },
    };
  }

  async get(principal: TenantPrincipal, id: string): Promise<OrderResponse> {
    const scope = scopeOf(principal);
    const order = await this.orders.find(scope, id);
    if (!order) throw AppError.notFound('Order');
    const lines = await this.orders.linesOf(scope, [id]);
    return toOrderResponse(order, lines.get(id) ?? []);
  }

  async history(principal: TenantPrincipal, id: string): Promise<{ items: HistoryEntry[] }> {
    const scope = scopeOf(principal);
    if (!(await this.orders.find(scope, id))) throw AppError.notFound('Order');
    const changes = await this.orders.history(scope, id);
    return {
      items: changes.map((change) => ({
        from: change.fromStatus,
        to: change.toStatus,
        by: change.changedBy,
        at: change.createdAt.toISOString(),
        reason: change.reason,
      })),
    };
  }

  async kitchen(principal: TenantPrincipal): Promise<{ items: OrderResponse[] }> {
    const scope = scopeOf(principal);
    const open = await this.orders.open(scope, OPEN_STATUSES);
    const lines = await this.orders.linesOf(
      scope,
      open.map((order) => order.id),
    );
    return { items: open.map((order) => toOrderResponse(order, lines.get(order.id) ?? [])) };
  }

  private filters(query: ListOrdersQueryDto): OrderFilters {
    const errors: FieldError[] = [];
    const from = query.from ? new Date(query.from) : undefined;
    const to = query.to ? new Date(query.to) : undefined;
    if (from && to && from > to) errors.push({ field: 'from', message: 'from must not be after to' });
    if (errors.length > 0) throw AppError.validation(errors);
    return {
      ...(query.status && { statuses: query.status.split(',') as OrderStatus[] }),
      ...(query.type && { type: query.type }),
      ...(query.tableId && { tableId: query.tableId }),
      ...(from && { from }),
      ...(to && { to }),
    };
  }
}
