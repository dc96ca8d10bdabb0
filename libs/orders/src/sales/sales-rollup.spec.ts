import { monthlyOf, planRange, type SalesRollup } from './sales-rollup';

describe('planRange', () => {
  it.each([
    ['2026-03-10', '2026-03-11', [['2026-03-10', '2026-03-11']], null],
    ['2026-03-01', '2026-03-15', [['2026-03-01', '2026-03-15']], null],
    ['2026-03-15', '2026-03-31', [['2026-03-15', '2026-03-31']], null],
    ['2026-03-01', '2026-03-31', [], ['2026-03', '2026-03']],
    ['2026-02-01', '2026-02-28', [], ['2026-02', '2026-02']],
    ['2028-02-01', '2028-02-28', [['2028-02-01', '2028-02-28']], null],
    ['2028-02-01', '2028-02-29', [], ['2028-02', '2028-02']],
    ['2026-03-31', '2026-04-01', [['2026-03-31', '2026-04-01']], null],
    ['2026-01-15', '2026-03-31', [['2026-01-15', '2026-01-31']], ['2026-02', '2026-03']],
    ['2026-01-01', '2026-03-10', [['2026-03-01', '2026-03-10']], ['2026-01', '2026-02']],
    [
      '2025-12-03',
      '2026-12-02',
      [
        ['2025-12-03', '2025-12-31'],
        ['2026-12-01', '2026-12-02'],
      ],
      ['2026-01', '2026-11'],
    ],
    [
      '2025-12-31',
      '2026-02-01',
      [
        ['2025-12-31', '2025-12-31'],
        ['2026-02-01', '2026-02-01'],
      ],
      ['2026-01', '2026-01'],
    ],
  ])('%s … %s', (from, to, days, months) => {
    const plan = planRange(from, to);
    expect(plan.days.map((range) => [range.from, range.to])).toEqual(days);
    expect(plan.months && [plan.months.from, plan.months.to]).toEqual(months);
  });

  it('covers every date of the range exactly once', () => {
    const dates = (from: string, to: string): string[] => {
      const out: string[] = [];
      for (
        let at = new Date(`${from}T00:00:00Z`);
        at.toISOString().slice(0, 10) <= to;
        at.setUTCDate(at.getUTCDate() + 1)
      )
        out.push(at.toISOString().slice(0, 10));
      return out;
    };
    for (const [from, to] of [
      ['2025-11-17', '2026-11-16'],
      ['2026-02-28', '2026-03-01'],
      ['2024-02-01', '2024-03-31'],
    ]) {
      const plan = planRange(from, to);
      const inMonths = plan.months
        ? dates(`${plan.months.from}-01`, `${plan.months.to}-31`).filter((date) => date.slice(0, 7) <= plan.months!.to)
        : [];
      const covered = [...plan.days.flatMap((range) => dates(range.from, range.to)), ...inMonths].sort();
      expect(covered).toEqual(dates(from, to));
    }
  });
});

describe('monthlyOf', () => {
  const daily: SalesRollup = {
    hourly: [
      { businessDate: '2026-03-10', hour: 9, orders: 2, revenue: 700, tax: 70, tips: 10 },
      { businessDate: '2026-03-11', hour: 9, orders: 1, revenue: 300, tax: 30, tips: 0 },
      { businessDate: '2026-03-11', hour: 17, orders: 1, revenue: 500, tax: 50, tips: 5 },
      { businessDate: '2026-04-01', hour: 9, orders: 1, revenue: 100, tax: 10, tips: 0 },
    ],
    items: [
      { businessDate: '2026-03-10', menuItemId: 'a', categoryId: 'old', name: 'Latte', quantity: 2, revenue: 700 },
      { businessDate: '2026-03-11', menuItemId: 'a', categoryId: 'new', name: 'Oat latte', quantity: 1, revenue: 300 },
      { businessDate: '2026-03-11', menuItemId: 'b', categoryId: null, name: 'Cookie', quantity: 1, revenue: 500 },
      { businessDate: '2026-04-01', menuItemId: 'a', categoryId: 'new', name: 'Oat latte', quantity: 1, revenue: 100 },
    ],
  };

  it('sums hours per month and keeps each item’s name and category of its latest day', () => {
    expect(monthlyOf(daily)).toEqual({
      hourly: [
        { month: '2026-03', hour: 9, orders: 3, revenue: 1000, tax: 100, tips: 10 },
        { month: '2026-03', hour: 17, orders: 1, revenue: 500, tax: 50, tips: 5 },
        { month: '2026-04', hour: 9, orders: 1, revenue: 100, tax: 10, tips: 0 },
      ],
      items: [
        {
          month: '2026-03',
          menuItemId: 'a',
          categoryId: 'new',
          name: 'Oat latte',
          quantity: 3,
          revenue: 1000,
          lastDay: '2026-03-11',
        },
        {
          month: '2026-03',
          menuItemId: 'b',
          categoryId: null,
          name: 'Cookie',
          quantity: 1,
          revenue: 500,
          lastDay: '2026-03-11',
        },
        {
          month: '2026-04',
          menuItemId: 'a',
          categoryId: 'new',
          name: 'Oat latte',
          quantity: 1,
          revenue: 100,
          lastDay: '2026-04-01',
        },
      ],
    });
  });

  it('keeps the latest day whatever the order of the rows', () => {
    const reversed = monthlyOf({ hourly: [...daily.hourly].reverse(), items: [...daily.items].reverse() });
    expect(reversed).toEqual(monthlyOf(daily));
  });
});
