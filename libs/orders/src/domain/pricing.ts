import type { FieldError } from '@coffee/common';
import { MONEY_MAX } from '@coffee/database';

/**
 * Tax of a line in basis points, rounded half up, in integer minor units.
 * Computed in BigInt: a line total near 10^12 times 10,000 bps is past 2^53.
 */
export function lineTax(lineTotal: number, taxRateBps: number): number {
  return Number((BigInt(lineTotal) * BigInt(taxRateBps) + 5000n) / 10000n);
}

export interface PricedLine {
  unitPrice: number;
  quantity: number;
  modifiers: { priceDelta: number }[];
  taxRateBps: number;
}

export interface LineAmounts {
  lineTotal: number;
  tax: number;
}

/**
 * `lineTotal = (unitPrice + Σ priceDelta) × quantity`; tax per line, half up.
 * Exact in doubles: prices and deltas are at most 10^12 each, 50 deltas and
 * 99 pieces keep the product under 2^53.
 */
export function priceLine(line: PricedLine): LineAmounts {
  const each = line.unitPrice + line.modifiers.reduce((sum, modifier) => sum + modifier.priceDelta, 0);
  const lineTotal = each * line.quantity;
  return { lineTotal, tax: lineTax(lineTotal, line.taxRateBps) };
}

export interface OrderTotals {
  subtotal: number;
  tax: number;
  discount: number;
  tip: number;
  total: number;
}

export function orderTotals(lines: LineAmounts[], discount = 0, tip = 0): OrderTotals {
  const subtotal = lines.reduce((sum, line) => sum + line.lineTotal, 0);
  const tax = lines.reduce((sum, line) => sum + line.tax, 0);
  return withTip({ subtotal, tax, discount, tip: 0, total: 0 }, tip);
}

/** The totals once `tip` is set (at payment): `total = subtotal + tax − discount + tip`. */
export function withTip(totals: OrderTotals, tip: number): OrderTotals {
  return { ...totals, tip, total: totals.subtotal + totals.tax - totals.discount + tip };
}

/** True for an amount the contract allows: an integer from 0 to 10^12 minor units. */
export function isMoneyInRange(amount: number): boolean {
  return Number.isSafeInteger(amount) && amount >= 0 && amount <= MONEY_MAX;
}

/**
 * Why a line total is outside 0…10^12, or null. Only negative modifier deltas
 * can make it negative (prices are never), so that error names the options.
 */
export function lineTotalError(field: string, lineTotal: number): FieldError | null {
  if (lineTotal < 0)
    return { field: `${field}.modifierOptionIds`, message: 'the chosen options make the line total negative' };
  if (!isMoneyInRange(lineTotal))
    return { field, message: `the line total ${lineTotal} exceeds ${MONEY_MAX} minor units` };
  return null;
}

/** Why an order's totals are outside 0…10^12, naming the field the caller can change, or null. */
export function orderTotalsError(totals: OrderTotals, field: string): FieldError | null {
  for (const name of ['subtotal', 'total'] as const) {
    if (!isMoneyInRange(totals[name]))
      return { field, message: `the order ${name} ${totals[name]} is outside 0 to ${MONEY_MAX} minor units` };
  }
  return null;
}

// Making a DateTimeFormat costs far more than using one (a few per cent of a placement's CPU); there are few zones.
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** The restaurant's local calendar date, which daily order numbers reset on. */
export function businessDate(at: Date, timeZone: string): string {
  let format = dateFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(timeZone, format);
  }
  return format.format(at);
}
