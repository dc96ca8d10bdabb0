import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { EntityManager } from 'typeorm';
import { AuditTrail } from '@coffee/audit';
import { AppError, Clock } from '@coffee/common';
import { retryLockConflicts, TransactionRunner, withManager } from '@coffee/database';
import { IntegrationEvents, RestaurantRepository, scopeOf, type TenantPrincipal } from '@coffee/tenancy';
import { assertTransition } from './domain/order-status';
import { orderTotalsError, withTip } from './domain/pricing';
import type { ChangeStatusDto, OrderResponse } from './dto/order.dto';
import type { OrderEntity } from './order.entities';
import { toOrderResponse } from './order.mapper';
import { OrderRepository } from './order.repository';
import type { OrderEvent } from './place-order.usecase';
import { rollupOfPayment } from './sales/sales-rollup';
import { SalesRollupRepository } from './sales/sales-rollup.repository';
import { SalesVersions } from './sales/sales-versions';

const CAN_CANCEL = new Set(['owner', 'manager']);

/**
 * Moves an order along the workflow, records the change, and answers with the
 * order. A payment also adds the order to the sales rollups in the same
 * transaction, so reports never read raw orders and never miss or double a
 * payment. Nothing ever subtracts from the rollups: a paid order cannot be
 * cancelled (the transition table forbids it) and there are no refunds, so
 * there is no reversal path; one would need its own negative rollup here.
 * The `order.status_changed` event (outbox) is written in the same transaction.
 * Concurrent payments upsert the same rollup rows, so lock conflicts
 * (deadlocks) are retried like placements, and the transaction runs in READ
 * COMMITTED, where the upserts take no gap locks.
 */
@Injectable()
export class ChangeOrderStatusUseCase {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly orders: OrderRepository,
    private readonly events: EventEmitter2,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    private readonly restaurants: RestaurantRepository,
    private readonly rollups: SalesRollupRepository,
    private readonly salesVersions: SalesVersions,
    private readonly integrationEvents: IntegrationEvents,
  ) {}

  async execute(principal: TenantPrincipal, id: string, dto: ChangeStatusDto): Promise<OrderResponse> {
    const scope = scopeOf(principal);
    // Read before the transaction, which then holds its connection only for the change itself.
    const timeZone = dto.status === 'paid' ? await this.restaurants.timeZoneOf(scope.restaurantId) : 'UTC';
    const response = await retryLockConflicts(
      () => this.transactions.run((manager) => this.change(manager, principal, id, dto, timeZone), 'READ COMMITTED'),
      {
        onExhausted: (error) =>
          AppError.serviceUnavailable('The order could not be updated right now; reload it and retry', error),
      },
    );
    if (response.status === 'paid') await this.salesVersions.bump(scope.restaurantId);
    this.events.emit('order.status_changed', {
      restaurantId: scope.restaurantId,
      orderId: id,
      status: response.status,
    } satisfies OrderEvent);
    return response;
  }

  private async change(
    manager: EntityManager,
    principal: TenantPrincipal,
    id: string,
    dto: ChangeStatusDto,
    timeZone: string,
  ): Promise<OrderResponse> {
    const tx = withManager(scopeOf(principal), manager);
    const order = await this.orders.find(tx, id);
    if (!order) throw AppError.notFound('Order');
    assertTransition(order.status, dto.status, order.type);
    const patch: Partial<OrderEntity> = { status: dto.status };
    if (dto.status === 'cancelled') {
      if (!CAN_CANCEL.has(principal.role)) throw AppError.forbidden('Only owners and managers can cancel orders');
      if (!dto.reason)
        throw AppError.validation([{ field: 'reason', message: 'reason is required to cancel an order' }]);
      patch.cancelledAt = this.clock.now();
    }
    if (dto.status === 'paid') {
      if (!dto.paymentMethod)
        throw AppError.validation([{ field: 'paymentMethod', message: 'paymentMethod is required to pay an order' }]);
      const totals = withTip(order, dto.tip ?? 0);
      const rangeError = orderTotalsError(totals, 'tip');
      if (rangeError) throw AppError.validation([rangeError]);
      patch.paymentMethod = dto.paymentMethod;
      patch.tip = totals.tip;
      patch.total = totals.total;
      patch.paidAt = this.clock.now();
    } else if (dto.paymentMethod !== undefined || dto.tip !== undefined) {
      throw AppError.validation([
        {
          field: dto.paymentMethod !== undefined ? 'paymentMethod' : 'tip',
          message: 'only a payment takes paymentMethod and tip',
        },
      ]);
    }
    if (!(await this.orders.updateIfCurrent(tx, id, order.status, dto.version, patch))) {
      throw AppError.conflict('The order was changed by someone else; reload it and try again');
    }
    await this.orders.appendHistory(tx, {
      orderId: id,
      fromStatus: order.status,
      toStatus: dto.status,
      changedBy: principal.userId ?? principal.apiKeyId,
      reason: dto.reason ?? null,
    });
    if (dto.status === 'cancelled') {
      await this.audit.record(manager, {
        action: 'order.cancelled',
        restaurantId: tx.restaurantId,
        targetType: 'order',
        targetId: id,
        before: { status: order.status, number: order.number, total: order.total },
        after: { status: 'cancelled', reason: dto.reason ?? null },
      });
    }
    const updated = await this.orders.find(tx, id);
    const lines = (await this.orders.linesOf(tx, [id])).get(id) ?? [];
    if (dto.status === 'paid') {
      await this.rollups.add(tx, rollupOfPayment({ ...updated!, paidAt: updated!.paidAt! }, lines, timeZone));
    }
    const response = toOrderResponse(updated!, lines);
    await this.integrationEvents.record(tx, {
      type: 'order.status_changed',
      data: { order: response, previousStatus: order.status },
    });
    return response;
  }
}
