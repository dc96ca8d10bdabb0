import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type EntityManager, type Repository, type SelectQueryBuilder } from 'typeorm';
import { isUniqueViolation } from '@coffee/common';
import {
  insertRows,
  isMysql,
  newId,
  repositoryIn,
  selectEntities,
  selectRows,
  type TenantScope,
  type TransactionScope,
} from '@coffee/database';
import { MetricsService } from '@coffee/metrics';
import type { OrderStatus, OrderType } from './domain/order-status';
import {
  OrderCounterEntity,
  OrderEntity,
  OrderLineEntity,
  OrderStatusChangeEntity,
  type NewOrder,
  type NewOrderLine,
} from './order.entities';

export interface OrderFilters {
  statuses?: OrderStatus[];
  type?: OrderType;
  tableId?: string;
  from?: Date;
  to?: Date;
}

/** The index keyset pages read: (restaurant_id, created_at, id). */
const CREATED_INDEX = 'ix_orders_restaurant_created_id';

/** A position in `(created_at, id)` order, for keyset paging. */
export interface OrderCursor {
  createdAt: Date;
  id: string;
}

/** `DESC` (newest first, the default) or `ASC`, for created_at and then id. */
export type OrderDirection = 'ASC' | 'DESC';

/**
 * Orders of one restaurant: every method takes the tenant scope first; the
 * writes of placing and moving an order take a TransactionScope.
 */
@Injectable()
export class OrderRepository {
  private readonly logger = new Logger(OrderRepository.name);
  private readonly indexHints;

  constructor(
    @InjectRepository(OrderEntity) private readonly orders: Repository<OrderEntity>,
    metrics: MetricsService,
  ) {
    this.indexHints = metrics.counter(
      'orders_page_index_hint_total',
      'Cursor pages of orders on MySQL: with the forced index (forced) or without it because its SQL could not be rewritten (fallback)',
      ['outcome'],
    );
  }

  /**
   * The next daily number for a restaurant and local date, gap-free under
   * concurrency: `UPDATE … SET last_number = last_number + 1` holds the row
   * lock until the placing transaction ends; the first order of a day inserts
   * the row (a lost insert race falls back to the update). Every statement
   * from here to commit runs with that lock held, so on MySQL the new value
   * comes back with the UPDATE (`LAST_INSERT_ID(expr)`) instead of a SELECT.
   */
  async nextNumber(scope: TransactionScope, businessDate: string): Promise<number> {
    const { manager, restaurantId } = scope;
    const counters = manager.getRepository(OrderCounterEntity);
    for (let attempt = 0; attempt < 3; attempt++) {
      const number = isMysql(manager)
        ? await this.bumpReturning(scope, businessDate)
        : await this.bump(scope, businessDate);
      if (number !== null) return number;
      try {
        await counters.insert({ restaurantId, businessDate, lastNumber: 1 });
        return 1;
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
    }
    throw new Error('Could not allocate an order number');
  }

  private async bumpReturning(
    { manager, restaurantId }: TransactionScope,
    businessDate: string,
  ): Promise<number | null> {
    const header: { affectedRows: number; insertId: number | string } = await manager.query(
      'UPDATE order_counters SET last_number = LAST_INSERT_ID(last_number + 1) WHERE restaurant_id = ? AND business_date = ?',
      [restaurantId, businessDate],
    );
    return header.affectedRows === 1 ? Number(header.insertId) : null;
  }

  private async bump({ manager, restaurantId }: TransactionScope, businessDate: string): Promise<number | null> {
    const bumped = await manager
      .createQueryBuilder()
      .update(OrderCounterEntity)
      .set({ lastNumber: () => 'last_number + 1' })
      .where('restaurant_id = :restaurantId AND business_date = :businessDate', { restaurantId, businessDate })
      .execute();
    if ((bumped.affected ?? 0) !== 1) return null;
    const row = await manager.getRepository(OrderCounterEntity).findOneByOrFail({ restaurantId, businessDate });
    return row.lastNumber;
  }

  /**
   * Orders placed in a calendar month (`YYYY-MM`, the restaurant's local
   * dates): the sum of that month's daily number counters, at most 31 rows of
   * the primary key, however many orders there are. Inside a placing
   * transaction it includes that transaction's own orders.
   */
  async countInMonth(scope: TenantScope, month: string): Promise<number> {
    const manager = scope.manager ?? this.orders.manager;
    // Plain SQL: the plan gate runs this in every placement, under the subscription lock.
    const rows: { total: number | string | null }[] = await manager.query(
      'SELECT COALESCE(SUM(last_number), 0) AS total FROM order_counters WHERE restaurant_id = ? AND business_date >= ? AND business_date <= ?',
      [scope.restaurantId, `${month}-01`, `${month}-31`],
    );
    return Number(rows[0]?.total ?? 0);
  }

  /**
   * The order and its lines (one statement for all lines) belong to the
   * scope's restaurant, whatever `restaurantId` they carry. Written with
   * insertRows: placement is the hottest write path.
   */
  async insert(scope: TransactionScope, order: NewOrder, lines: NewOrderLine[]): Promise<void> {
    const { manager, restaurantId } = scope;
    await insertRows(manager, OrderEntity, [{ ...order, restaurantId }]);
    await insertRows(
      manager,
      OrderLineEntity,
      lines.map((line) => ({ ...line, restaurantId })),
    );
  }

  async appendHistory(
    scope: TransactionScope,
    change: Pick<OrderStatusChangeEntity, 'orderId' | 'fromStatus' | 'toStatus' | 'changedBy' | 'reason'>,
  ): Promise<void> {
    await insertRows(scope.manager, OrderStatusChangeEntity, [
      { id: newId(), restaurantId: scope.restaurantId, ...change },
    ]);
  }

  find(scope: TenantScope, id: string): Promise<OrderEntity | null> {
    return repositoryIn(scope, OrderEntity, this.orders).findOneBy({ restaurantId: scope.restaurantId, id });
  }

  /** Lines of many orders in one query, in order (hand-written SQL: every list reads it, see selectEntities). */
  async linesOf(scope: TenantScope, orderIds: string[]): Promise<Map<string, OrderLineEntity[]>> {
    const byOrder = new Map<string, OrderLineEntity[]>(orderIds.map((id) => [id, []]));
    if (orderIds.length === 0) return byOrder;
    const lines = await selectEntities(
      scope.manager ?? this.orders.manager,
      OrderLineEntity,
      'SELECT * FROM order_lines WHERE restaurant_id = :restaurantId AND order_id IN (:...orderIds) ORDER BY order_id, position',
      { restaurantId: scope.restaurantId, orderIds },
    );
    for (const line of lines) byOrder.get(line.orderId)?.push(line);
    return byOrder;
  }

  /**
   * Applies a status change only if the order is still in `from` (and at
   * `version`, when given), so two clerks cannot both move it.
   */
  async updateIfCurrent(
    scope: TransactionScope,
    id: string,
    from: OrderStatus,
    version: number | undefined,
    patch: Partial<OrderEntity>,
  ): Promise<boolean> {
    const { manager, restaurantId } = scope;
    const query = manager
      .createQueryBuilder()
      .update(OrderEntity)
      .set({ ...patch, version: () => 'version + 1' })
      .where('id = :id AND restaurant_id = :restaurantId AND status = :from', { id, restaurantId, from });
    if (version !== undefined) query.andWhere('version = :version', { version });
    const result = await query.execute();
    return (result.affected ?? 0) === 1;
  }

  history(scope: TenantScope, orderId: string): Promise<OrderStatusChangeEntity[]> {
    return (scope.manager ?? this.orders.manager).getRepository(OrderStatusChangeEntity).find({
      where: { restaurantId: scope.restaurantId, orderId },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  /**
   * A page in `created_at, id` order, either direction. After a cursor the condition is
   * written as `created_at <= ? AND (created_at < ? OR id < ?)` (`>` ascending), a range on
   * (restaurant_id, created_at, id), which the row-value form
   * `(created_at, id) < (?, ?)` is not. Measured on MariaDB 10.11 with a
   * million orders, the optimizer still prefers a `ref` on restaurant_id and
   * reads every newer order (200,000 rows, 400 ms, 10,000 pages deep) unless
   * the index is forced; then it reads 21 index entries (0.1 ms). TypeORM
   * emits USE INDEX but not FORCE INDEX, so on MySQL the cursor page first
   * finds its ids with the hint, then loads them. The index serves both
   * directions (InnoDB scans it backwards for DESC).
   */
  async page(
    scope: TenantScope,
    filters: OrderFilters,
    limit: number,
    after: OrderCursor | null,
    offset: number,
    direction: OrderDirection = 'DESC',
  ): Promise<OrderEntity[]> {
    const { restaurantId } = scope;
    const orders = repositoryIn(scope, OrderEntity, this.orders);
    if (!after) return this.firstPage(orders.manager, restaurantId, filters, limit, offset, direction);
    const query = orders.createQueryBuilder('o').where('o.restaurant_id = :restaurantId', { restaurantId });
    this.applyFilters(query, filters);
    const beyond = direction === 'DESC' ? '<' : '>';
    query
      .andWhere(`o.created_at ${beyond}= :cursorAt`, { cursorAt: after.createdAt })
      .andWhere(`(o.created_at ${beyond} :cursorAt OR o.id ${beyond} :cursorId)`, { cursorId: after.id });
    query.orderBy('o.created_at', direction).addOrderBy('o.id', direction).limit(limit);
    // A status filter has its own index, (restaurant_id, status, created_at): no hint then.
    if (filters.statuses?.length || !isMysql(orders.manager)) return query.getMany();

    const ids = await this.idsForcing(orders, query.select('o.id', 'id'), CREATED_INDEX);
    if (ids.length === 0) return [];
    const rows = await orders.findBy({ restaurantId, id: In(ids) });
    const position = new Map(ids.map((id, index) => [id, index]));
    return rows.sort((a, b) => (position.get(a.id) ?? 0) - (position.get(b.id) ?? 0));
  }

  /**
   * A page by offset (the first page of every list, and `offset` paging):
   * hand-written SQL, the same statement the query builder would make, without
   * rebuilding it per request (see selectEntities).
   */
  private firstPage(
    manager: EntityManager,
    restaurantId: string,
    filters: OrderFilters,
    limit: number,
    offset: number,
    direction: OrderDirection,
  ): Promise<OrderEntity[]> {
    const where = ['restaurant_id = :restaurantId'];
    if (filters.statuses?.length) where.push('status IN (:...statuses)');
    if (filters.type) where.push('type = :type');
    if (filters.tableId) where.push('table_id = :tableId');
    if (filters.from) where.push('created_at >= :from');
    if (filters.to) where.push('created_at <= :to');
    // LIMIT/OFFSET are validated integers (the DTO), written into the text as the query builder does.
    const sql =
      `SELECT * FROM orders WHERE ${where.join(' AND ')} ORDER BY created_at ${direction}, id ${direction}` +
      ` LIMIT ${Math.trunc(limit)}${offset > 0 ? ` OFFSET ${Math.trunc(offset)}` : ''}`;
    return selectEntities(manager, OrderEntity, sql, { restaurantId, ...filters });
  }

  private async idsForcing(
    orders: Repository<OrderEntity>,
    query: SelectQueryBuilder<OrderEntity>,
    index: string,
  ): Promise<string[]> {
    const [sql, parameters] = query.getQueryAndParameters();
    const from = 'FROM `orders` `o`';
    if (!sql.includes(from)) {
      // TypeORM changed its SQL text: a slow page beats a failed one (the counter lets tests and alerts see it).
      this.indexHints.inc({ outcome: 'fallback' });
      this.logger.warn({ sql }, 'Cannot add the index hint to the orders page query; running it without');
      return (await query.getRawMany<{ id: string }>()).map((row) => row.id);
    }
    this.indexHints.inc({ outcome: 'forced' });
    const rows: { id: string }[] = await orders.query(
      sql.replace(from, `${from} FORCE INDEX (\`${index}\`)`),
      parameters,
    );
    return rows.map((row) => row.id);
  }

  /**
   * How many orders match. Unfiltered (the list a POS opens first) it is the
   * sum of the daily number counters: numbers are gap-free and allocated in
   * the order's own transaction, and orders are never deleted, so
   * Σ last_number is exactly the order count, read from one row per business
   * day instead of counting every order (COUNT(*) over a million orders takes
   * about half a second). Filtered counts use the list indexes.
   */
  async count(scope: TenantScope, filters: OrderFilters): Promise<number> {
    const { restaurantId } = scope;
    const orders = repositoryIn(scope, OrderEntity, this.orders);
    if (!hasFilters(filters)) {
      const [row] = await selectRows(
        orders.manager,
        'SELECT COALESCE(SUM(last_number), 0) AS total FROM order_counters WHERE restaurant_id = :restaurantId',
        { restaurantId },
      );
      return Number(row?.total ?? 0);
    }
    const query = orders.createQueryBuilder('o').where('o.restaurant_id = :restaurantId', { restaurantId });
    this.applyFilters(query, filters);
    return query.getCount();
  }

  /**
   * Paid orders whose payment falls in [start, end), in payment order: the
   * input of a rollup rebuild. Reads the (restaurant_id, status, created_at)
   * index's prefix; rebuilds are rare operator runs, not a request path.
   */
  paidBetween(scope: TenantScope, start: Date, end: Date): Promise<OrderEntity[]> {
    return repositoryIn(scope, OrderEntity, this.orders)
      .createQueryBuilder('o')
      .where('o.restaurant_id = :restaurantId AND o.status = :paid', { restaurantId: scope.restaurantId, paid: 'paid' })
      .andWhere('o.paid_at >= :start AND o.paid_at < :end', { start, end })
      .orderBy('o.paid_at', 'ASC')
      .addOrderBy('o.id', 'ASC')
      .getMany();
  }

  /** Open orders, oldest first, for the kitchen display. */
  open(scope: TenantScope, statuses: readonly OrderStatus[]): Promise<OrderEntity[]> {
    return this.orders.find({
      where: { restaurantId: scope.restaurantId, status: In([...statuses]) },
      order: { createdAt: 'ASC', id: 'ASC' },
      take: 200,
    });
  }

  private applyFilters(query: ReturnType<Repository<OrderEntity>['createQueryBuilder']>, filters: OrderFilters): void {
    if (filters.statuses?.length) query.andWhere('o.status IN (:...statuses)', { statuses: filters.statuses });
    if (filters.type) query.andWhere('o.type = :type', { type: filters.type });
    if (filters.tableId) query.andWhere('o.table_id = :tableId', { tableId: filters.tableId });
    if (filters.from) query.andWhere('o.created_at >= :from', { from: filters.from });
    if (filters.to) query.andWhere('o.created_at <= :to', { to: filters.to });
  }
}

function hasFilters(filters: OrderFilters): boolean {
  return Boolean(filters.statuses?.length || filters.type || filters.tableId || filters.from || filters.to);
}
