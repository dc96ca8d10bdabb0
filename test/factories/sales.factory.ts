import type { FixedClock } from '@coffee/common';
import { businessDate } from '@coffee/orders';
import type { BrowserSession } from '../support/session';
import { place, type Shop } from './shop.factory';

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

type Items = { menuItemId: string; quantity: number; modifierOptionIds?: string[] }[];

/** Places a takeaway order and walks it to `ready`; returns its id. */
async function placeReady(session: BrowserSession, items: Items): Promise<string> {
  const placed = await place(session, { type: 'takeaway', items });
  if (placed.status !== 201) throw new Error(`placing failed: ${placed.status} ${JSON.stringify(placed.body)}`);
  const id = placed.body.id as string;
  for (const status of ['preparing', 'ready'])
    await session.post(`/api/v1/orders/${id}/status`, { status }).expect(200);
  return id;
}

/** Places a takeaway order and walks it to paid, with the clock at `paidAt` for the payment. */
export async function placeAndPay(
  session: BrowserSession,
  clock: FixedClock,
  items: Items,
  paidAt: string,
  tip = 0,
): Promise<PaidOrder> {
  const id = await placeReady(session, items);
  clock.set(new Date(paidAt));
  const paid = await session
    .post(`/api/v1/orders/${id}/status`, { status: 'paid', paymentMethod: 'cash', tip })
    .expect(200);
  return paid.body as PaidOrder;
}

/**
 * Staff sell `items` now, on the app's clock: a takeaway order walked to
 * paid. `date` is the business date the reports count it on, computed as the
 * app does: the restaurant's local date of `paidAt`. A test that asked for
 * "today" instead could ask for the next day when run around midnight.
 */
export async function sellNow(
  shop: Shop,
  items: Items,
  payment: { paymentMethod?: 'cash' | 'card'; tip?: number } = {},
): Promise<{ order: PaidOrder; date: string }> {
  const id = await placeReady(shop.staff, items);
  const paid = await shop.staff
    .post(`/api/v1/orders/${id}/status`, {
      status: 'paid',
      paymentMethod: payment.paymentMethod ?? 'cash',
      tip: payment.tip ?? 0,
    })
    .expect(200);
  const order = paid.body as PaidOrder;
  return { order, date: businessDate(new Date(order.paidAt), shop.cafe.restaurant.timezone) };
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
