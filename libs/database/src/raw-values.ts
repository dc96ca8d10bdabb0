/**
 * A datetime column's value from a raw query: mysql2 gives a Date (the pool's
 * timezone is UTC), SQLite the text TypeORM wrote (`YYYY-MM-DD HH:MM:SS.SSS`, UTC).
 */
export function rawDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  if (typeof value !== 'string') return null;
  const date = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(' ', 'T')}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}
