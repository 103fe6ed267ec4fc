/**
 * Quotes a value for an Airtable formula, as pyairtable's quoted() does: backslashes first, then
 * single quotes, wrapped in single quotes. Without it, input like `x' , TRUE(), '` rewrites the
 * formula and matches every row.
 */
export function escapeFormulaString(value: string): string {
  return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}
