import type { FixedClock } from '@coffee/common';
import type { BrowserSession } from '../support/session';
import { place } from './shop.factory';

export interface PaidOrder {
  id: string;
  subtotal: number;
  discount: number;
  tax: number;
  tip: number;
  /** ISO 8601. */
  paidAt: string;
  items: { menuItemId: string; quantity: number; lineTotal: number }[];
}

/** Places a takeaway order and walks it to paid, with the clock at `paidAt` for the payment. */
export async function placeAndPay(
  session: BrowserSession,
  clock: FixedClock,
  items: { menuItemId: string; quantity: number; modifierOptionIds?: string[] }[],
  paidAt: string,
  tip = 0,
): Promise<PaidOrder> {
  const placed = await place(session, { type: 'takeaway', items });
  if (placed.status !== 201) throw new Error(`placing failed: ${placed.status} ${JSON.stringify(placed.body)}`);
  const id = placed.body.id as string;
  for (const status of ['preparing', 'ready'])
    await session.post(`/api/v1/orders/${id}/status`, { status }).expect(200);
  clock.set(new Date(paidAt));
  const paid = await session
    .post(`/api/v1/orders/${id}/status`, { status: 'paid', paymentMethod: 'cash', tip })
    .expect(200);
  return paid.body as PaidOrder;
}

/** What the dashboard should say about these orders, summed by hand. */
export function expectedTotals(orders: PaidOrder[]): { revenue: number; tax: number; tips: number; orders: number } {
  return {
    revenue: orders.reduce((sum, order) => sum + order.subtotal - order.discount, 0),
    tax: orders.reduce((sum, order) => sum + order.tax, 0),
    tips: orders.reduce((sum, order) => sum + order.tip, 0),
    orders: orders.length,
  };
}
