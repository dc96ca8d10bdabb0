import { rawDate } from './raw-values';

describe('rawDate', () => {
  it('reads SQLite text as UTC', () => {
    expect(rawDate('2026-12-02 07:30:15.123')?.toISOString()).toBe('2026-12-02T07:30:15.123Z');
  });

  it('keeps a Date and an ISO string with a zone', () => {
    const date = new Date('2026-01-01T00:00:00.000Z');
    expect(rawDate(date)).toBe(date);
    expect(rawDate('2026-01-01T01:00:00+01:00')?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  it('answers null for nothing or garbage', () => {
    expect(rawDate(null)).toBeNull();
    expect(rawDate(undefined)).toBeNull();
    expect(rawDate('not a date')).toBeNull();
    expect(rawDate(42)).toBeNull();
  });
});
