import { candidateBusinessDates, ordersToday } from './orders-today';

describe('orders today across time zones', () => {
  it('looks at the UTC dates of yesterday, today and tomorrow', () => {
    expect(candidateBusinessDates(new Date('2026-03-01T00:30:00Z'))).toEqual([
      '2026-02-28',
      '2026-03-01',
      '2026-03-02',
    ]);
  });

  it("counts each restaurant's counter for its own local date only", () => {
    // 02:00 UTC on March 10: still March 9 in Bogotá (UTC−5), March 10 in Berlin, March 10 (15:00) in Auckland (UTC+13).
    const now = new Date('2026-03-10T02:00:00Z');
    const counters = [
      { businessDate: '2026-03-09', lastNumber: 7, timeZone: 'America/Bogota' }, // today there
      { businessDate: '2026-03-10', lastNumber: 100, timeZone: 'America/Bogota' }, // not yet
      { businessDate: '2026-03-10', lastNumber: 3, timeZone: 'Europe/Berlin' }, // today
      { businessDate: '2026-03-09', lastNumber: 50, timeZone: 'Europe/Berlin' }, // yesterday
      { businessDate: '2026-03-10', lastNumber: 2, timeZone: 'Pacific/Auckland' }, // today
      { businessDate: '2026-03-11', lastNumber: 9, timeZone: 'UTC' }, // tomorrow
    ];
    expect(ordersToday(counters, now)).toBe(7 + 3 + 2);
  });

  it('reaches the extreme zones: Kiribati is a day ahead of UTC, Baker Island (UTC−12) behind', () => {
    const now = new Date('2026-03-10T11:00:00Z');
    expect(ordersToday([{ businessDate: '2026-03-11', lastNumber: 4, timeZone: 'Pacific/Kiritimati' }], now)).toBe(4);
    expect(ordersToday([{ businessDate: '2026-03-09', lastNumber: 5, timeZone: 'Etc/GMT+12' }], now)).toBe(5);
  });

  it('is 0 without counters', () => {
    expect(ordersToday([], new Date())).toBe(0);
  });
});
