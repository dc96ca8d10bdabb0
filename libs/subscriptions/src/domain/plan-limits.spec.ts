import { describeLimit, exceededLimits, hasRoom, type Limits } from './plan-limits';

describe('plan limit arithmetic', () => {
  it('has room up to and including the limit, none beyond', () => {
    expect(hasRoom(3, 0)).toBe(true);
    expect(hasRoom(3, 2)).toBe(true); // the 3rd
    expect(hasRoom(3, 3)).toBe(false); // the 4th
    expect(hasRoom(3, 4)).toBe(false);
    expect(hasRoom(0, 0)).toBe(false);
  });

  it('treats null as unlimited', () => {
    expect(hasRoom(null, Number.MAX_SAFE_INTEGER)).toBe(true);
  });

  it('counts several at once', () => {
    expect(hasRoom(5, 3, 2)).toBe(true);
    expect(hasRoom(5, 3, 3)).toBe(false);
  });

  it('finds the limits a usage exceeds (equal is within)', () => {
    const free: Limits = { users: 3, menuItems: 50, apiKeys: 1, ordersPerMonth: 500 };
    expect(exceededLimits(free, { users: 3, menuItems: 50, apiKeys: 1, ordersPerMonth: 500 })).toEqual([]);
    expect(exceededLimits(free, { users: 4, menuItems: 50, apiKeys: 2, ordersPerMonth: 0 })).toEqual([
      'users',
      'apiKeys',
    ]);
    const unlimited: Limits = { users: null, menuItems: null, apiKeys: null, ordersPerMonth: null };
    expect(exceededLimits(unlimited, { users: 1e6, menuItems: 1e6, apiKeys: 1e6, ordersPerMonth: 1e9 })).toEqual([]);
  });

  it('names a limit for people', () => {
    expect(describeLimit('ordersPerMonth', 500)).toBe('500 orders per month');
  });
});
