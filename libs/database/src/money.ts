import type { ColumnOptions, ValueTransformer } from 'typeorm';

/**
 * The largest amount the contract allows for a price, a line total or an order
 * total, in minor units. 10^12 is far above any real bill (10 billion USD, or a
 * trillion COP), far below 2^53, so every amount and every sum of a few
 * thousand of them is an exact JavaScript number.
 */
export const MONEY_MAX = 1_000_000_000_000;

/**
 * BIGINT ↔ number. mysql2 under TypeORM's defaults (`supportBigNumbers`,
 * `bigNumberStrings`) returns BIGINT as a decimal string; node:sqlite returns a
 * number. A value that a double cannot hold exactly is refused, never rounded.
 */
export const moneyTransformer = {
  to: (value: number | null | undefined): number | null | undefined => value,
  from: (value: unknown): number | null => {
    if (value === null || value === undefined) return null;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'bigint') {
      throw new RangeError(`A money column holds a ${typeof value}, not an integer`);
    }
    // Past 2^53 - 1 the conversion rounds, and the result is no longer a safe integer.
    const amount = Number(value);
    if (!Number.isSafeInteger(amount)) {
      throw new RangeError(`A money column holds ${String(value)}, which is not an exact integer number`);
    }
    return amount;
  },
} satisfies ValueTransformer;

/** A money column: BIGINT in minor units, read back as a number. */
export function moneyColumn(options: Pick<ColumnOptions, 'default'> = {}): ColumnOptions {
  return { type: 'bigint', transformer: moneyTransformer, ...options };
}
