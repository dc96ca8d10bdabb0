const digitsByCurrency = new Map<string, number>();

/** Minor-unit digits of an ISO 4217 currency as Intl (CLDR) knows them: USD 2, COP 0, JPY 0, KWD 3. */
export function minorDigits(currency: string): number {
  let digits = digitsByCurrency.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsByCurrency.set(currency, digits);
  }
  return digits;
}

/**
 * An integer amount in minor units as a plain decimal string in the
 * currency's units: 123456 USD → "1234.56", 5000 COP → "5000" (when the
 * currency has no minor digits the amount is already whole units), −5 USD → "-0.05".
 * String arithmetic: exact for every safe integer, no float rounding.
 */
export function formatMinorUnits(amount: number, currency: string): string {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`${amount} is not an integer amount`);
  const digits = minorDigits(currency);
  const sign = amount < 0 ? '-' : '';
  const text = Math.abs(amount).toString();
  if (digits === 0) return `${sign}${text}`;
  const padded = text.padStart(digits + 1, '0');
  return `${sign}${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}
