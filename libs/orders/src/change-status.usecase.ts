import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { AuditTrail } from '@coffee/audit';
import { AppError } from '@coffee/common';
import { TransactionRunner, withManager } from '@coffee/database';
import { scopeOf, type TenantPrincipal } from '@coffee/tenancy';
import { assertTransition } from './domain/order-status';
import { orderTotalsError, withTip } from './domain/pricing';
import type { ChangeStatusDto, OrderResponse } from './dto/order.dto';
import type { OrderEntity } from './order.entities';
import { toOrderResponse } from './order.mapper';
import { OrderRepository } from './order.repository';
import type { OrderEvent } from './place-order.usecase';

const CAN_CANCEL = new Set(['owner', 'manager']);

/** Moves an order along the workflow, records the change, and answers with the order. */
@Injectable()
export class ChangeOrderStatusUseCase {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly orders: OrderRepository,
    private readonly events: EventEmitter2,
    private readonly audit: AuditTrail,
  ) {}

  async execute(principal: TenantPrincipal, id: string, dto: ChangeStatusDto): Promise<OrderResponse> {
    const scope = scopeOf(principal);
    const response = await this.transactions.run(async (manager) => {
      const tx = withManager(scope, manager);
      const order = await this.orders.find(tx, id);
      if (!order) throw AppError.notFound('Order');
      assertTransition(order.status, dto.status, order.type);
      const patch: Partial<OrderEntity> = { status: dto.status };
      if (dto.status === 'cancelled') {
        if (!CAN_CANCEL.has(principal.role)) throw AppError.forbidden('Only owners and managers can cancel orders');
        if (!dto.reason)
          throw AppError.validation([{ field: 'reason', message: 'reason is required to cancel an order' }]);
        patch.cancelledAt = new Date();
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
        patch.paidAt = new Date();
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
      return toOrderResponse(updated!, lines);
    });
    this.events.emit('order.status_changed', {
      restaurantId: scope.restaurantId,
      orderId: id,
      status: response.status,
    } satisfies OrderEvent);
    return response;
  }
}
