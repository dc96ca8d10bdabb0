import { mergeRollups, rollupOfPayment, localDateAndHour, summarizeItems } from '@coffee/orders';
import { csvCell, toCsv } from './csv';
import { daysBetween, isBusinessDate, resolveRange } from './date-range';
import { formatMinorUnits, minorDigits } from './money';
import { averageTicket, dailyReportCsv, type DailyReport } from './sales-report';

describe('CSV encoding', () => {
  it('quotes commas, quotes and line breaks (RFC 4180)', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(42)).toBe('42');
  });

  it('neutralizes cells that start like a formula', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r'])
      expect(csvCell(`${start}SUM(A1)`).startsWith(`'`) || csvCell(`${start}SUM(A1)`).startsWith(`"'`)).toBe(true);
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('\rX')).toBe(`"'\rX"`);
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('ends every row with CRLF', () => {
    expect(
      toCsv([
        ['a', 'b'],
        ['c', 'd'],
      ]),
    ).toBe('a,b\r\nc,d\r\n');
  });
});

describe('money formatting', () => {
  it('uses the currency minor digits', () => {
    expect(minorDigits('USD')).toBe(2);
    expect(minorDigits('COP')).toBe(0);
    expect(minorDigits('KWD')).toBe(3);
    expect(formatMinorUnits(123456, 'USD')).toBe('1234.56');
    expect(formatMinorUnits(5, 'USD')).toBe('0.05');
    expect(formatMinorUnits(0, 'USD')).toBe('0.00');
    expect(formatMinorUnits(-5, 'USD')).toBe('-0.05');
    expect(formatMinorUnits(12000, 'COP')).toBe('12000');
    expect(formatMinorUnits(1, 'KWD')).toBe('0.001');
    expect(formatMinorUnits(1_000_000_000_000, 'USD')).toBe('10000000000.00');
  });

  it('refuses non-integers', () => {
    expect(() => formatMinorUnits(1.5, 'USD')).toThrow(RangeError);
  });
});

describe('date ranges', () => {
  it('validates calendar dates', () => {
    expect(isBusinessDate('2024-02-29')).toBe(true);
    expect(isBusinessDate('2026-02-29')).toBe(false);
    expect(isBusinessDate('2026-1-01')).toBe(false);
    expect(daysBetween('2026-01-01', '2026-12-31')).toBe(365);
  });

  it('defaults to today and keeps a lone bound meaningful', () => {
    expect(resolveRange(undefined, undefined, '2026-03-10')).toEqual({
      ok: true,
      from: '2026-03-10',
      to: '2026-03-10',
    });
    expect(resolveRange('2026-03-01', undefined, '2026-03-10')).toEqual({
      ok: true,
      from: '2026-03-01',
      to: '2026-03-10',
    });
    expect(resolveRange(undefined, '2026-03-01', '2026-03-10')).toEqual({
      ok: true,
      from: '2026-03-01',
      to: '2026-03-01',
    });
  });

  it('refuses reversed, over-long and malformed ranges', () => {
    expect(resolveRange('2026-03-02', '2026-03-01', '2026-03-10')).toMatchObject({
      ok: false,
      errors: [{ field: 'from' }],
    });
    expect(resolveRange('2024-01-01', '2024-12-31', '2026-03-10')).toMatchObject({ ok: true });
    expect(resolveRange('2024-01-01', '2025-01-01', '2026-03-10')).toMatchObject({
      ok: false,
      errors: [{ field: 'to' }],
    });
    expect(resolveRange('yesterday', '2026-02-30', '2026-03-10')).toMatchObject({
      ok: false,
      errors: [{ field: 'from' }, { field: 'to' }],
    });
  });
});

describe('rollup arithmetic', () => {
  const line = (menuItemId: string, quantity: number, lineTotal: number, name = menuItemId) => ({
    menuItemId,
    categoryId: 'cat',
    name,
    quantity,
    lineTotal,
  });

  it('puts a payment on the local date and hour of paidAt', () => {
    // 23:30 in Bogotá (UTC−5) is 04:30 UTC the next day.
    expect(localDateAndHour(new Date('2026-03-11T04:30:00Z'), 'America/Bogota')).toEqual({
      businessDate: '2026-03-10',
      hour: 23,
    });
    // New York springs forward on 2026-03-08: 03:30 EDT is 07:30 UTC.
    expect(localDateAndHour(new Date('2026-03-08T07:30:00Z'), 'America/New_York')).toEqual({
      businessDate: '2026-03-08',
      hour: 3,
    });
  });

  it('sums a payment: net revenue, tax, tips, and lines of one item together', () => {
    const rollup = rollupOfPayment(
      { paidAt: new Date('2026-03-10T15:00:00Z'), subtotal: 1000, discount: 100, tax: 190, tip: 50 },
      [line('b', 1, 400), line('a', 2, 500), line('b', 1, 100)],
      'UTC',
    );
    expect(rollup.hourly).toEqual([
      { businessDate: '2026-03-10', hour: 15, orders: 1, revenue: 900, tax: 190, tips: 50 },
    ]);
    expect(rollup.items.map((row) => [row.menuItemId, row.quantity, row.revenue])).toEqual([
      ['a', 2, 500],
      ['b', 2, 500],
    ]);
  });

  it('merges like the upserts: sums add up, the latest name wins', () => {
    const paidAt = new Date('2026-03-10T15:00:00Z');
    const order = { paidAt, subtotal: 500, discount: 0, tax: 0, tip: 10 };
    const merged = mergeRollups([
      rollupOfPayment(order, [line('a', 1, 500, 'Old name')], 'UTC'),
      rollupOfPayment(order, [line('a', 1, 500, 'New name')], 'UTC'),
    ]);
    expect(merged.hourly).toEqual([
      { businessDate: '2026-03-10', hour: 15, orders: 2, revenue: 1000, tax: 0, tips: 20 },
    ]);
    expect(merged.items).toEqual([
      { businessDate: '2026-03-10', menuItemId: 'a', categoryId: 'cat', name: 'New name', quantity: 2, revenue: 1000 },
    ]);
  });

  it('sums categories and ranks items once each, by revenue then quantity', () => {
    const { byCategory, top } = summarizeItems(
      [
        { menuItemId: 'a', categoryId: 'hot', quantity: 1, revenue: 500, lastDay: '2026-03-01' },
        { menuItemId: 'a', categoryId: 'cold', quantity: 2, revenue: 600, lastDay: '2026-03-05' },
        { menuItemId: 'b', categoryId: 'hot', quantity: 9, revenue: 1100, lastDay: '2026-03-02' },
        { menuItemId: 'c', categoryId: null, quantity: 1, revenue: 10, lastDay: '2026-03-03' },
      ],
      2,
    );
    expect(byCategory).toEqual([
      { categoryId: 'hot', quantity: 10, revenue: 1600 },
      { categoryId: 'cold', quantity: 2, revenue: 600 },
      { categoryId: null, quantity: 1, revenue: 10 },
    ]);
    expect(top).toEqual([
      { menuItemId: 'b', quantity: 9, revenue: 1100, lastDay: '2026-03-02' },
      { menuItemId: 'a', quantity: 3, revenue: 1100, lastDay: '2026-03-05' },
    ]);
  });

  it('rounds the average ticket and is 0 without orders', () => {
    expect(averageTicket(1000, 3)).toBe(333);
    expect(averageTicket(1001, 2)).toBe(501);
    expect(averageTicket(0, 0)).toBe(0);
  });
});

describe('daily report CSV', () => {
  it('has a header, decimal money and escaped names', () => {
    const report: DailyReport = {
      date: '2026-03-10',
      currency: 'USD',
      generatedAt: '2026-03-11T00:00:00.000Z',
      revenue: 1050,
      tax: 100,
      tips: 25,
      orders: 2,
      averageTicket: 525,
      byCategory: [{ categoryId: 'c1', name: 'Hot, drinks', revenue: 1050, quantity: 3 }],
      topItems: [{ menuItemId: 'i1', name: '=cmd()', quantity: 3, revenue: 1050 }],
      byHour: [{ hour: 9, orders: 2, revenue: 1050 }],
    };
    const lines = dailyReportCsv(report).split('\r\n');
    expect(lines[0]).toBe('section,key,name,orders,quantity,revenue,tax,tips,average_ticket,currency,date');
    expect(lines[1]).toBe('summary,,,2,,10.50,1.00,0.25,5.25,USD,2026-03-10');
    expect(lines[2]).toBe('category,c1,"Hot, drinks",,3,10.50,,,,USD,2026-03-10');
    expect(lines[3]).toBe("item,i1,'=cmd(),,3,10.50,,,,USD,2026-03-10");
    expect(lines[4]).toBe('hour,09,,2,,10.50,,,,USD,2026-03-10');
  });
});
