import { createHash } from 'node:crypto';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { EntityManager } from 'typeorm';
import { AppError, Clock, type FieldError } from '@coffee/common';
import { newId, retryLockConflicts, TransactionRunner, withManager, type TenantScope } from '@coffee/database';
import { IdempotencyKeyRepository } from '@coffee/idempotency';
import { MenuItemsService } from '@coffee/menu';
import { MetricsService } from '@coffee/metrics';
import { TablesService } from '@coffee/tables';
import {
  IntegrationEvents,
  PlanLimits,
  RestaurantRepository,
  scopeOf,
  UsageCounters,
  type TenantPrincipal,
} from '@coffee/tenancy';
import { priceOrder, type MenuEntry } from './domain/order-lines';
import { businessDate } from './domain/pricing';
import type { OrderResponse, PlaceOrderDto } from './dto/order.dto';
import { toOrderResponse } from './order.mapper';
import type { NewOrder, NewOrderLine } from './order.entities';
import { OrderRepository } from './order.repository';

const KEY_TTL_MS = 48 * 3600 * 1000;

/** The order, and whether it is the stored answer to an earlier request with the same key. */
export interface PlacedOrder {
  order: OrderResponse;
  replayed: boolean;
}

export interface OrderEvent {
  restaurantId: string;
  orderId: string;
  status: string;
}

function requestHash(dto: PlaceOrderDto): string {
  return createHash('sha256').update(JSON.stringify(dto)).digest('hex');
}

/** Thrown inside the placement's transaction when its key is taken, to roll it back before the replay. */
class KeyTaken extends Error {}

/**
 * Placing an order, in one transaction: prices computed here from the current
 * menu, the plan gate (which locks the restaurant's subscription row, so the
 * placements of one restaurant run one after another), the daily number from
 * a locked counter row, then the Idempotency-Key row holding the answer, the
 * order + lines + first history entry and the `order.created` event (outbox).
 * The key is written once, complete, in a single statement: a request
 * replayed with it, or racing its first request, reaches that statement only
 * after the first has committed, clashes on the unique index and rolls back,
 * then answers the stored order. A request that fails (422, plan limit)
 * answers the stored order too when its key was used: a replay gets the first
 * answer whatever changed since. Deadlocks are retried a few times, then 503.
 */
@Injectable()
export class PlaceOrderUseCase implements OnModuleInit {
  private readonly logger = new Logger(PlaceOrderUseCase.name);
  private readonly created;
  private readonly retries;

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly orders: OrderRepository,
    private readonly keys: IdempotencyKeyRepository,
    private readonly menu: MenuItemsService,
    private readonly tables: TablesService,
    private readonly restaurants: RestaurantRepository,
    private readonly events: EventEmitter2,
    private readonly limits: PlanLimits,
    private readonly usage: UsageCounters,
    private readonly integrationEvents: IntegrationEvents,
    private readonly clock: Clock,
    metrics: MetricsService,
  ) {
    this.created = metrics.counter('orders_created_total', 'Orders placed', ['type']);
    this.retries = metrics.counter('order_placement_retries_total', 'Placements retried after a lock conflict', [
      'code',
    ]);
  }

  /** Orders count against the plan's `maxOrdersPerMonth` by calendar month in the restaurant's time zone. */
  onModuleInit(): void {
    this.usage.register('ordersPerMonth', (scope, at) =>
      this.orders.countInMonth(scope, businessDate(at.now, at.timeZone).slice(0, 7)),
    );
  }

  /** `idempotencyKey` is well-formed already (IdempotencyKeyPipe). */
  async execute(principal: TenantPrincipal, idempotencyKey: string, dto: PlaceOrderDto): Promise<PlacedOrder> {
    const hash = requestHash(dto);
    // Reads that need no lock happen before the transaction, which then holds one connection only.
    const timeZone = await this.restaurants.timeZoneOf(principal.restaurantId);
    const tableError = await this.checkTable(scopeOf(principal), dto);
    const placed = await retryLockConflicts(
      () =>
        this.transactions.run(
          (manager) => this.place(manager, principal, idempotencyKey, hash, dto, timeZone, tableError),
          'READ COMMITTED',
        ),
      {
        onRetry: (code, attempt) => {
          this.retries.inc({ code });
          this.logger.warn({ code, attempt }, 'Retrying order placement after a lock conflict');
        },
        onExhausted: (error) =>
          AppError.serviceUnavailable(
            'The order could not be placed right now; retry with the same Idempotency-Key',
            error,
          ),
      },
    ).catch(async (error: unknown): Promise<PlacedOrder> => {
      const refused = error instanceof AppError && error.status < 500;
      if (!(error instanceof KeyTaken) && !refused) throw error;
      const stored = await this.storedAnswer(principal, idempotencyKey, hash);
      if (stored) return stored;
      if (refused) throw error;
      throw AppError.serviceUnavailable('The Idempotency-Key is being released; retry');
    });
    if (!placed.replayed) {
      this.created.inc({ type: placed.order.type });
      this.events.emit('order.created', {
        restaurantId: principal.restaurantId,
        orderId: placed.order.id,
        status: placed.order.status,
      } satisfies OrderEvent);
    }
    return placed;
  }

  private async checkTable(scope: TenantScope, dto: PlaceOrderDto): Promise<FieldError | null> {
    if (dto.type !== 'dine_in') return null;
    if (!dto.tableId) return { field: 'tableId', message: 'tableId is required for dine_in orders' };
    if (!(await this.tables.findActive(scope, dto.tableId)))
      return { field: 'tableId', message: 'tableId does not name an active table' };
    return null;
  }

  private async place(
    manager: EntityManager,
    principal: TenantPrincipal,
    key: string,
    hash: string,
    dto: PlaceOrderDto,
    timeZone: string,
    tableError: FieldError | null,
  ): Promise<PlacedOrder> {
    const tx = withManager(scopeOf(principal), manager);
    const restaurantId = tx.restaurantId;
    const items = await this.menu.findForOrder(tx, [...new Set(dto.items.map((line) => line.menuItemId))]);
    const priced = priceOrder(dto.items, new Map<string, MenuEntry>(items.map((entry) => [entry.item.id, entry])));
    const errors = [...(tableError ? [tableError] : []), ...(priced.ok ? [] : priced.errors)];
    if (!priced.ok || errors.length > 0) throw AppError.validation(errors);
    const orderId = newId();
    const lines = priced.value.lines.map((line, position): NewOrderLine => ({
      ...line,
      id: newId(),
      restaurantId,
      orderId,
      modifiers: JSON.stringify(line.modifiers),
      notes: dto.items[position].notes ?? null,
      position,
    }));

    // The plan gate locks the subscription row until commit, so the month's count stays exact.
    await this.limits.assertRoomFor(tx, 'ordersPerMonth');
    const now = this.clock.now();
    const day = businessDate(now, timeZone);
    const number = await this.orders.nextNumber(tx, day);
    const order: NewOrder = {
      id: orderId,
      // Set here rather than by the database default: millisecond precision on every
      // driver keeps keyset cursors (created_at, id) exact, also on SQLite.
      createdAt: now,
      updatedAt: now,
      restaurantId,
      number,
      businessDate: day,
      type: dto.type,
      status: 'pending',
      tableId: dto.tableId ?? null,
      customerName: dto.customerName ?? null,
      notes: dto.notes ?? null,
      ...priced.value.totals,
      paymentMethod: null,
      version: 1,
      createdBy: principal.userId ?? principal.apiKeyId,
      paidAt: null,
      cancelledAt: null,
    };
    // Built from the values about to be written (timestamps are set here, to the
    // millisecond the columns keep), not read back: the number's lock is held until commit.
    const response = toOrderResponse(order, lines);
    // Before the order's rows: a taken key rolls back with the least work done.
    if (!(await this.keys.record(tx, { key, requestHash: hash, ttlMs: KEY_TTL_MS, status: 201, body: response })))
      throw new KeyTaken();
    await this.orders.insert(tx, order, lines);
    await this.orders.appendHistory(tx, {
      orderId,
      fromStatus: null,
      toStatus: 'pending',
      changedBy: order.createdBy,
      reason: null,
    });
    await this.integrationEvents.record(tx, { type: 'order.created', data: { order: response } });
    return { order: response, replayed: false };
  }

  /**
   * The first answer given with this key (read after this request's
   * transaction has ended), or null when the key is new: 409 when it came with
   * another body, or when it has no answer yet.
   */
  private async storedAnswer(principal: TenantPrincipal, key: string, hash: string): Promise<PlacedOrder | null> {
    const existing = await this.keys.find(scopeOf(principal), key);
    if (!existing) return null;
    if (existing.requestHash !== hash)
      throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different body');
    if (existing.status !== 'completed' || !existing.responseBody) {
      throw new AppError('IDEMPOTENCY_KEY_IN_USE', 'A request with this Idempotency-Key is still running', {
        headers: { 'Retry-After': '1' },
      });
    }
    return { order: JSON.parse(existing.responseBody) as OrderResponse, replayed: true };
  }
}
