import { MONEY_MAX } from '@coffee/database';
import { priceOrder, priceOrderLine, type MenuEntry } from './order-lines';
import { lineTax, orderTotalsError, withTip } from './pricing';

function latte(
  overrides: Partial<MenuEntry['item']> = {},
  extraOption = { priceDelta: 60, isAvailable: true },
): MenuEntry {
  return {
    item: {
      id: 'latte',
      name: 'Latte',
      price: 450,
      taxRateBps: 1900,
      isAvailable: true,
      categoryId: 'hot',
      ...overrides,
    },
    groups: [
      {
        group: { name: 'Milk', minSelect: 0, maxSelect: 1 },
        options: [
          { id: 'oat', name: 'Oat', ...extraOption },
          { id: 'almond', name: 'Almond', priceDelta: 70, isAvailable: true },
        ],
      },
      {
        group: { name: 'Size', minSelect: 1, maxSelect: 1 },
        options: [
          { id: 'small', name: 'Small', priceDelta: 0, isAvailable: true },
          { id: 'large', name: 'Large', priceDelta: 100, isAvailable: true },
        ],
      },
    ],
  };
}

const fields = (result: { ok: boolean; errors?: { field: string }[] }) =>
  result.ok ? [] : result.errors?.map((e) => e.field);

describe('priceOrderLine', () => {
  it('prices a line with its options and snapshots them', () => {
    const result = priceOrderLine(
      0,
      { menuItemId: 'latte', quantity: 2, modifierOptionIds: ['oat', 'large'] },
      latte(),
    );
    expect(result).toEqual({
      ok: true,
      value: {
        menuItemId: 'latte',
        categoryId: 'hot',
        name: 'Latte',
        unitPrice: 450,
        quantity: 2,
        modifiers: [
          { optionId: 'oat', name: 'Oat', priceDelta: 60 },
          { optionId: 'large', name: 'Large', priceDelta: 100 },
        ],
        lineTotal: 1220,
        tax: 232,
      },
    });
  });

  it('names the item when it is unknown or unavailable', () => {
    expect(fields(priceOrderLine(3, { menuItemId: 'x', quantity: 1 }, undefined))).toEqual(['items[3].menuItemId']);
    const off = priceOrderLine(
      1,
      { menuItemId: 'latte', quantity: 1, modifierOptionIds: ['small'] },
      latte({ isAvailable: false }),
    );
    expect(fields(off)).toEqual(['items[1].menuItemId']);
  });

  it('checks min/max per group, availability and foreign options', () => {
    const none = priceOrderLine(0, { menuItemId: 'latte', quantity: 1 }, latte());
    expect(none.ok ? [] : none.errors).toEqual([
      { field: 'items[0].modifierOptionIds', message: 'Size: choose 1 option(s)' },
    ]);
    const two = priceOrderLine(
      0,
      { menuItemId: 'latte', quantity: 1, modifierOptionIds: ['oat', 'almond', 'small'] },
      latte(),
    );
    expect(two.ok ? [] : two.errors.map((e) => e.message)).toEqual(['Milk: choose 0 to 1 option(s)']);
    const unavailable = priceOrderLine(
      0,
      { menuItemId: 'latte', quantity: 1, modifierOptionIds: ['oat', 'small'] },
      latte({}, { priceDelta: 60, isAvailable: false }),
    );
    expect(unavailable.ok ? [] : unavailable.errors.map((e) => e.message)).toEqual(['Oat is not available']);
    const foreign = priceOrderLine(
      0,
      { menuItemId: 'latte', quantity: 1, modifierOptionIds: ['small', 'other'] },
      latte(),
    );
    expect(fields(foreign)).toEqual(['items[0].modifierOptionIds']);
  });

  it('refuses a line that negative deltas make negative, and accepts one they make zero', () => {
    const negative = priceOrderLine(
      3,
      { menuItemId: 'latte', quantity: 2, modifierOptionIds: ['oat', 'small'] },
      latte({}, { priceDelta: -451, isAvailable: true }),
    );
    expect(fields(negative)).toEqual(['items[3].modifierOptionIds']);
    const free = priceOrderLine(
      0,
      { menuItemId: 'latte', quantity: 2, modifierOptionIds: ['oat', 'small'] },
      latte({}, { priceDelta: -450, isAvailable: true }),
    );
    expect(free).toMatchObject({ ok: true, value: { lineTotal: 0, tax: 0 } });
  });

  it('refuses a line total above 10^12 and accepts exactly 10^12', () => {
    const atMax = priceOrderLine(
      0,
      { menuItemId: 'latte', quantity: 1, modifierOptionIds: ['small'] },
      latte({ price: MONEY_MAX, taxRateBps: 10_000 }),
    );
    expect(atMax).toMatchObject({ ok: true, value: { lineTotal: MONEY_MAX, tax: MONEY_MAX } });
    const over = priceOrderLine(
      2,
      { menuItemId: 'latte', quantity: 2, modifierOptionIds: ['small'] },
      latte({ price: MONEY_MAX }),
    );
    expect(fields(over)).toEqual(['items[2]']);
  });
});

describe('priceOrder', () => {
  const menu = new Map([['latte', latte({ price: 100_000_000, taxRateBps: 1900 })]]);

  it('prices 30 lines × 99 of a 100,000,000 item exactly (past 32 bits)', () => {
    const lines = Array.from({ length: 30 }, () => ({
      menuItemId: 'latte',
      quantity: 99,
      modifierOptionIds: ['small'],
    }));
    const result = priceOrder(lines, menu);
    expect(result.ok && result.value.totals).toEqual({
      subtotal: 297_000_000_000,
      tax: 56_430_000_000,
      discount: 0,
      tip: 0,
      total: 353_430_000_000,
    });
  });

  it('collects every line error, and refuses totals above 10^12 naming items', () => {
    const bad = priceOrder(
      [
        { menuItemId: 'nope', quantity: 1 },
        { menuItemId: 'latte', quantity: 1 },
      ],
      menu,
    );
    expect(fields(bad)).toEqual(['items[0].menuItemId', 'items[1].modifierOptionIds']);
    const big = new Map([['latte', latte({ price: 900_000_000_000, taxRateBps: 0 })]]);
    const two = [1, 2].map(() => ({ menuItemId: 'latte', quantity: 1, modifierOptionIds: ['small'] }));
    expect(fields(priceOrder(two, big))).toEqual(['items']);
    const withTax = new Map([['latte', latte({ price: 900_000_000_000, taxRateBps: 1900 })]]);
    expect(fields(priceOrder(two.slice(1), withTax))).toEqual(['items']);
  });
});

describe('money arithmetic', () => {
  it('rounds tax half up exactly where lineTotal × bps is past 2^53', () => {
    expect(lineTax(999_999_999_999, 9_999)).toBe(999_899_999_999); // 999,899,999,999.0001 → down
    expect(lineTax(999_999_999_995, 1_000)).toBe(100_000_000_000); // 99,999,999,999.5 → up
  });

  it('checks the total a tip makes, naming tip', () => {
    const order = { subtotal: 900_000_000_000, tax: 0, discount: 0, tip: 0, total: 900_000_000_000 };
    expect(orderTotalsError(withTip(order, 100_000_000_000), 'tip')).toBeNull();
    expect(orderTotalsError(withTip(order, 100_000_000_001), 'tip')).toMatchObject({ field: 'tip' });
  });
});
