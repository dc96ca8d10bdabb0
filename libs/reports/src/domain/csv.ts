/** Characters that make a spreadsheet read a cell as a formula (CSV injection), or hide it. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One RFC 4180 cell: prefixed with `'` when it starts like a formula (`= + - @`,
 * tab, CR), then quoted when it holds a comma, quote, CR or LF (quotes doubled).
 * Callers pass numbers already formatted; a negative amount would get the
 * prefix too, which keeps it inert rather than a formula.
 */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows joined with CRLF (RFC 4180), ending with one. */
export function toCsv(rows: readonly (readonly (string | number)[])[]): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
