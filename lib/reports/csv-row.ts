// A cell a spreadsheet would run as a formula (OWASP's list: = + - @, and tab or carriage return,
// which some programs strip before looking) gets a leading single quote, so it stays text.
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;
// Excel reads a CSV without a byte order mark in the machine's legacy encoding, garbling names.
export const BYTE_ORDER_MARK = "\uFEFF";

export type CsvValue = string | number | null;

/** One CSV line (RFC 4180, CRLF), every text cell guarded against formula injection. */
export function csvRow(values: CsvValue[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}

function csvCell(value: CsvValue): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  const guarded = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}
