import { moneyTransformer } from './money';

describe('moneyTransformer', () => {
  it('reads BIGINT as mysql2 returns it (a decimal string) and as node:sqlite does (a number)', () => {
    expect(moneyTransformer.from('297000000000')).toBe(297_000_000_000);
    expect(moneyTransformer.from('-1000000000000')).toBe(-1_000_000_000_000);
    expect(moneyTransformer.from(450)).toBe(450);
    expect(moneyTransformer.from(BigInt('9007199254740991'))).toBe(Number.MAX_SAFE_INTEGER);
    expect(moneyTransformer.from(null)).toBeNull();
  });

  it('refuses values a number cannot hold exactly instead of rounding them', () => {
    expect(() => moneyTransformer.from('9007199254740993')).toThrow(RangeError);
    expect(() => moneyTransformer.from(BigInt('9007199254740992'))).toThrow(RangeError);
    expect(() => moneyTransformer.from('12.5')).toThrow(RangeError);
    expect(() => moneyTransformer.from('abc')).toThrow(RangeError);
  });

  it('writes numbers unchanged', () => {
    expect(moneyTransformer.to(297_000_000_000)).toBe(297_000_000_000);
  });
});
