import { AppError } from '@coffee/common';
import { assertTransition, canTransition, ORDER_STATUSES, type OrderStatus } from './order-status';
import { businessDate, lineTax, orderTotals, priceLine } from './pricing';

describe('order status transitions', () => {
  const allowed: [OrderStatus, OrderStatus, 'dine_in' | 'takeaway'][] = [
    ['pending', 'preparing', 'dine_in'],
    ['preparing', 'ready', 'dine_in'],
    ['ready', 'served', 'dine_in'],
    ['served', 'paid', 'dine_in'],
    ['ready', 'paid', 'takeaway'],
    ['served', 'paid', 'takeaway'],
    ['pending', 'cancelled', 'dine_in'],
    ['preparing', 'cancelled', 'takeaway'],
    ['ready', 'cancelled', 'dine_in'],
    ['served', 'cancelled', 'dine_in'],
  ];

  it.each(allowed)('allows %s → %s for %s', (from, to, type) => {
    expect(canTransition(from, to, type)).toBe(true);
  });

  it('allows exactly the table and nothing else', () => {
    const dineIn = [
      'pending>preparing',
      'pending>cancelled',
      'preparing>ready',
      'preparing>cancelled',
      'ready>served',
      'ready>cancelled',
      'served>paid',
      'served>cancelled',
    ];
    const expected = { dine_in: dineIn, takeaway: [...dineIn, 'ready>paid'] };
    for (const type of ['dine_in', 'takeaway'] as const) {
      const actual = ORDER_STATUSES.flatMap((from) =>
        ORDER_STATUSES.filter((to) => canTransition(from, to, type)).map((to) => `${from}>${to}`),
      );
      expect(actual.sort()).toEqual([...expected[type]].sort());
    }
  });

  it('refuses with 409 INVALID_TRANSITION', () => {
    try {
      assertTransition('paid', 'preparing', 'dine_in');
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('INVALID_TRANSITION');
    }
  });
});

describe('pricing', () => {
  it('rounds tax half up per line', () => {
    expect(lineTax(1000, 1900)).toBe(190);
    expect(lineTax(25, 1900)).toBe(5); // 4.75 → 5
    expect(lineTax(50, 1000)).toBe(5); // 5.0
    expect(lineTax(5, 1000)).toBe(1); // 0.5 → 1
    expect(lineTax(4, 1000)).toBe(0); // 0.4 → 0
    expect(lineTax(999, 0)).toBe(0);
  });

  it('prices a line with modifiers and sums the order', () => {
    const latte = priceLine({
      unitPrice: 450,
      quantity: 2,
      modifiers: [{ priceDelta: 60 }, { priceDelta: 100 }],
      taxRateBps: 1900,
    });
    expect(latte).toEqual({ lineTotal: 1220, tax: 232 }); // 231.8 → 232
    const cookie = priceLine({ unitPrice: 250, quantity: 1, modifiers: [], taxRateBps: 500 });
    expect(cookie).toEqual({ lineTotal: 250, tax: 13 }); // 12.5 → 13
    expect(orderTotals([latte, cookie])).toEqual({ subtotal: 1470, tax: 245, discount: 0, tip: 0, total: 1715 });
    expect(orderTotals([latte, cookie], 100, 200).total).toBe(1815);
  });

  it('finds the local business date across midnight', () => {
    const at = new Date('2026-03-01T04:30:00Z');
    expect(businessDate(at, 'UTC')).toBe('2026-03-01');
    expect(businessDate(at, 'America/Bogota')).toBe('2026-02-28');
    expect(businessDate(at, 'Asia/Tokyo')).toBe('2026-03-01');
  });
});
