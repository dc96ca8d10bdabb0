import type { FieldError } from '@coffee/common';

/** The longest range a dashboard covers, in days (a leap year). */
export const MAX_RANGE_DAYS = 366;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written `YYYY-MM-DD` (no 2026-02-30). */
export function isBusinessDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const at = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return at.toISOString().slice(0, 10) === value;
}

/** Days from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

export type RangeResult = { ok: true; from: string; to: string } | { ok: false; errors: FieldError[] };

/**
 * A dashboard range: `from`/`to` default to `today` (the restaurant's local
 * date); both must be dates, from ≤ to, at most {@link MAX_RANGE_DAYS} days.
 */
export function resolveRange(from: string | undefined, to: string | undefined, today: string): RangeResult {
  const errors: FieldError[] = [];
  for (const [field, value] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (value !== undefined && !isBusinessDate(value))
      errors.push({ field, message: `${field} must be a date written YYYY-MM-DD` });
  }
  if (errors.length > 0) return { ok: false, errors };
  const start = from ?? (to !== undefined && to < today ? to : today);
  const end = to ?? (from !== undefined && from > today ? from : today);
  if (start > end) return { ok: false, errors: [{ field: 'from', message: 'from must not be after to' }] };
  if (daysBetween(start, end) > MAX_RANGE_DAYS)
    return { ok: false, errors: [{ field: 'to', message: `a range covers at most ${MAX_RANGE_DAYS} days` }] };
  return { ok: true, from: start, to: end };
}
