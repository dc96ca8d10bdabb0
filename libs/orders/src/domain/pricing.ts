/** Tax of a line in basis points, rounded half up, in integer minor units. */
export function lineTax(lineTotal: number, taxRateBps: number): number {
  return Math.floor((lineTotal * taxRateBps + 5000) / 10000);
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

/** `lineTotal = (unitPrice + Σ priceDelta) × quantity`; tax per line, half up. */
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
  return { subtotal, tax, discount, tip, total: subtotal + tax - discount + tip };
}

/** The restaurant's local calendar date, which daily order numbers reset on. */
export function businessDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}
