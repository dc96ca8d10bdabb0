import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { EntityManager } from 'typeorm';
import { AppError, type FieldError } from '@coffee/common';
import { newId, TransactionRunner } from '@coffee/database';
import { IdempotencyKeyRepository } from '@coffee/idempotency';
import { MenuItemsService, type ItemAggregate } from '@coffee/menu';
import { MetricsService } from '@coffee/metrics';
import { TablesService } from '@coffee/tables';
import { RestaurantRepository, type TenantPrincipal } from '@coffee/tenancy';
import { businessDate, orderTotals, priceLine } from './domain/pricing';
import type { OrderResponse, PlaceOrderDto } from './dto/order.dto';
import { toOrderResponse } from './order.mapper';
import type { NewOrder, NewOrderLine } from './order.entities';
import { OrderRepository } from './order.repository';

export const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{8,128}$/;
const KEY_TTL_MS = 48 * 3600 * 1000;
const MAX_ATTEMPTS = 4;
const RETRYABLE = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);

export interface PlacedOrder {
  status: 201 | 200;
  order: OrderResponse;
}

export interface OrderEvent {
  restaurantId: string;
  orderId: string;
  status: string;
}

function requestHash(dto: PlaceOrderDto): string {
  return createHash('sha256').update(JSON.stringify(dto)).digest('hex');
}

function driverCode(error: unknown): string | undefined {
  const driver = (error as { driverError?: { code?: unknown } } | null)?.driverError;
  const code = driver?.code ?? (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Placing an order: the Idempotency-Key row first (a unique index makes
 * duplicates wait and then replay), prices computed here from the current menu,
 * the daily number from a locked counter row, order + lines + first history
 * entry, and the answer stored with the key, all in one transaction. Deadlocks
 * are retried a few times, then 503.
 */
@Injectable()
export class PlaceOrderUseCase {
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
    metrics: MetricsService,
  ) {
    this.created = metrics.counter('orders_created_total', 'Orders placed', ['type']);
    this.retries = metrics.counter('order_placement_retries_total', 'Placements retried after a lock conflict', [
      'code',
    ]);
  }

  async execute(
    principal: TenantPrincipal,
    idempotencyKey: string | undefined,
    dto: PlaceOrderDto,
  ): Promise<PlacedOrder> {
    if (!idempotencyKey || !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new AppError(
        'IDEMPOTENCY_KEY_MISSING',
        'Send an Idempotency-Key header of 8-128 characters of A-Z, a-z, 0-9, _ and -',
      );
    }
    const hash = requestHash(dto);
    // Reads that need no lock happen before the transaction, which then holds one connection only.
    const restaurant = await this.restaurants.findById(principal.restaurantId);
    const tableError = await this.checkTable(principal.restaurantId, dto);
    for (let attempt = 1; ; attempt++) {
      try {
        const placed = await this.transactions.run(
          (manager) =>
            this.place(manager, principal, idempotencyKey, hash, dto, restaurant?.timezone ?? 'UTC', tableError),
          'READ COMMITTED',
        );
        if (placed.status === 201) {
          this.created.inc({ type: placed.order.type });
          this.events.emit('order.created', {
            restaurantId: principal.restaurantId,
            orderId: placed.order.id,
            status: placed.order.status,
          } satisfies OrderEvent);
        }
        return placed;
      } catch (error) {
        const code = driverCode(error);
        if (!code || !RETRYABLE.has(code)) throw error;
        if (attempt >= MAX_ATTEMPTS)
          throw AppError.serviceUnavailable(
            'The order could not be placed right now; retry with the same Idempotency-Key',
            error,
          );
        this.retries.inc({ code });
        this.logger.warn({ code, attempt }, 'Retrying order placement after a lock conflict');
        await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.random() * 20));
      }
    }
  }

  private async checkTable(restaurantId: string, dto: PlaceOrderDto): Promise<FieldError | null> {
    if (dto.type !== 'dine_in') return null;
    if (!dto.tableId) return { field: 'tableId', message: 'tableId is required for dine_in orders' };
    if (!(await this.tables.findActive(restaurantId, dto.tableId)))
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
    const restaurantId = principal.restaurantId;
    const keyId = await this.keys.claim(manager, restaurantId, key, hash, KEY_TTL_MS);
    if (keyId === false) return this.replay(manager, restaurantId, key, hash);

    const items = await this.menu.findForOrder(
      restaurantId,
      [...new Set(dto.items.map((line) => line.menuItemId))],
      manager,
    );
    const errors: FieldError[] = tableError ? [tableError] : [];
    const orderId = newId();
    const lines = dto.items.map((line, index) => this.priceLine(orderId, restaurantId, index, line, items, errors));
    if (errors.length > 0) throw AppError.validation(errors);

    const now = new Date();
    const day = businessDate(now, timeZone);
    const number = await this.orders.nextNumber(manager, restaurantId, day);
    const totals = orderTotals(lines.map((line) => ({ lineTotal: line.lineTotal, tax: line.tax })));
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
      ...totals,
      paymentMethod: null,
      version: 1,
      createdBy: principal.userId ?? principal.apiKeyId,
      paidAt: null,
      cancelledAt: null,
    };
    await this.orders.insert(manager, order, lines);
    await this.orders.appendHistory(manager, {
      restaurantId,
      orderId,
      fromStatus: null,
      toStatus: 'pending',
      changedBy: order.createdBy,
      reason: null,
    });
    // Built from the values just written (timestamps are set here, to the
    // millisecond the columns keep), not read back: the number's lock is held until commit.
    const response = toOrderResponse(order, lines);
    await this.keys.complete(manager, keyId, 201, JSON.stringify(response));
    return { status: 201, order: response };
  }

  private priceLine(
    orderId: string,
    restaurantId: string,
    index: number,
    line: PlaceOrderDto['items'][number],
    items: ItemAggregate[],
    errors: FieldError[],
  ): NewOrderLine {
    const field = `items[${index}]`;
    const found = items.find((aggregate) => aggregate.item.id === line.menuItemId);
    const empty = {
      id: newId(),
      restaurantId,
      orderId,
      menuItemId: line.menuItemId,
      name: '',
      unitPrice: 0,
      quantity: line.quantity,
      lineTotal: 0,
      tax: 0,
      modifiers: '[]',
      notes: line.notes ?? null,
      position: index,
    };
    if (!found) {
      errors.push({ field: `${field}.menuItemId`, message: 'menuItemId does not name an item of this menu' });
      return empty;
    }
    if (!found.item.isAvailable)
      errors.push({ field: `${field}.menuItemId`, message: `${found.item.name} is not available` });
    const chosen = new Set(line.modifierOptionIds ?? []);
    const modifiers: { optionId: string; name: string; priceDelta: number }[] = [];
    for (const { group, options } of found.groups) {
      const picked = options.filter((option) => chosen.has(option.id));
      for (const option of picked) {
        chosen.delete(option.id);
        if (!option.isAvailable)
          errors.push({ field: `${field}.modifierOptionIds`, message: `${option.name} is not available` });
        modifiers.push({ optionId: option.id, name: option.name, priceDelta: option.priceDelta });
      }
      if (picked.length < group.minSelect || picked.length > group.maxSelect) {
        errors.push({
          field: `${field}.modifierOptionIds`,
          message: `${group.name}: choose ${group.minSelect === group.maxSelect ? group.minSelect : `${group.minSelect} to ${group.maxSelect}`} option(s)`,
        });
      }
    }
    if (chosen.size > 0)
      errors.push({
        field: `${field}.modifierOptionIds`,
        message: 'modifierOptionIds contains options that do not belong to this item',
      });
    const amounts = priceLine({
      unitPrice: found.item.price,
      quantity: line.quantity,
      modifiers,
      taxRateBps: found.item.taxRateBps,
    });
    return {
      ...empty,
      name: found.item.name,
      unitPrice: found.item.price,
      modifiers: JSON.stringify(modifiers),
      ...amounts,
    };
  }

  private async replay(manager: EntityManager, restaurantId: string, key: string, hash: string): Promise<PlacedOrder> {
    const existing = await this.keys.find(restaurantId, key, manager);
    if (!existing) throw AppError.serviceUnavailable('The Idempotency-Key is being released; retry');
    if (existing.requestHash !== hash)
      throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different body');
    if (existing.status !== 'completed' || !existing.responseBody) {
      throw new AppError('IDEMPOTENCY_KEY_IN_USE', 'A request with this Idempotency-Key is still running', {
        headers: { 'Retry-After': '1' },
      });
    }
    return { status: 200, order: JSON.parse(existing.responseBody) as OrderResponse };
  }
}
