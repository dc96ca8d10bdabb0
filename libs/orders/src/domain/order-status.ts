import { AppError } from '@coffee/common';

export const ORDER_TYPES = ['dine_in', 'takeaway'] as const;
export type OrderType = (typeof ORDER_TYPES)[number];

export const ORDER_STATUSES = ['pending', 'preparing', 'ready', 'served', 'paid', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const PAYMENT_METHODS = ['cash', 'card', 'other'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export const OPEN_STATUSES: readonly OrderStatus[] = ['pending', 'preparing', 'ready'];

/**
 * The order workflow as data: which status may follow which, for which order
 * type. Anything not listed is 409 INVALID_TRANSITION.
 */
const TRANSITIONS: Record<OrderStatus, Partial<Record<OrderStatus, readonly OrderType[]>>> = {
  pending: { preparing: ORDER_TYPES, cancelled: ORDER_TYPES },
  preparing: { ready: ORDER_TYPES, cancelled: ORDER_TYPES },
  ready: { served: ORDER_TYPES, paid: ['takeaway'], cancelled: ORDER_TYPES },
  served: { paid: ORDER_TYPES, cancelled: ORDER_TYPES },
  paid: {},
  cancelled: {},
};

export function canTransition(from: OrderStatus, to: OrderStatus, type: OrderType): boolean {
  return TRANSITIONS[from][to]?.includes(type) ?? false;
}

export function assertTransition(from: OrderStatus, to: OrderStatus, type: OrderType): void {
  if (!canTransition(from, to, type)) {
    throw new AppError('INVALID_TRANSITION', `A ${type.replace('_', '-')} order cannot go from ${from} to ${to}`);
  }
}
