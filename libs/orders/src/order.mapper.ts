import type { OrderLineResponse, OrderResponse } from './dto/order.dto';
import type { NewOrder, NewOrderLine } from './order.entities';

/** Entities read back, or the values just inserted: the answer is the same. */
export function toOrderResponse(order: NewOrder, lines: readonly NewOrderLine[]): OrderResponse {
  return {
    id: order.id,
    number: order.number,
    type: order.type,
    status: order.status,
    tableId: order.tableId,
    customerName: order.customerName,
    notes: order.notes,
    items: lines.map((line): OrderLineResponse => ({
      id: line.id,
      menuItemId: line.menuItemId,
      name: line.name,
      unitPrice: line.unitPrice,
      quantity: line.quantity,
      modifiers: JSON.parse(line.modifiers) as OrderLineResponse['modifiers'],
      lineTotal: line.lineTotal,
      notes: line.notes,
    })),
    subtotal: order.subtotal,
    tax: order.tax,
    discount: order.discount,
    tip: order.tip,
    total: order.total,
    paymentMethod: order.paymentMethod,
    version: order.version,
    createdBy: order.createdBy,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
    paidAt: order.paidAt ? order.paidAt.toISOString() : null,
    cancelledAt: order.cancelledAt ? order.cancelledAt.toISOString() : null,
  };
}
