// The filterByFormula forms the stand-in understands (see airtable-api.ts); any other formula is
// 422 INVALID_FILTER_BY_FORMULA, as Airtable answers a formula it cannot parse.
import { editableNames, findField, lastModified, readCell, unprocessable, type Row, type Table } from "./model";

export type RowFilter = (row: Row) => boolean;

const invalid = (detail: string) => unprocessable("INVALID_FILTER_BY_FORMULA", `The formula for filtering records is invalid: ${detail}`);

/** Parses a formula into a row predicate, or throws Airtable's 422. */
export function parseFilterFormula(formula: string, table: Table): RowFilter {
  return digitsMatch(formula, table) ?? changedSince(formula, table) ?? throwInvalid();
}

function throwInvalid(): never {
  throw invalid("Invalid formula. Please check your formula text.");
}

function knownField(table: Table, name: string) {
  const field = findField(table, name);
  if (!field || field.name !== name) throw invalid(`Unknown field names: ${name.toLowerCase()}`);
  return field;
}

/** OR(REGEX_REPLACE({Field} & '', '[^0-9]', '') = '123', ...): the digits-only match the config lookup sends. */
function digitsMatch(formula: string, table: Table): RowFilter | undefined {
  const term = /REGEX_REPLACE\(\{([^}]+)\} & '', '\[\^0-9\]', ''\) = '(\d+)'/g;
  const values: string[] = [];
  let name: string | undefined;
  for (const match of formula.matchAll(term)) {
    if (name !== undefined && match[1] !== name) return undefined;
    name = match[1];
    values.push(match[2]);
  }
  if (name === undefined) return undefined;
  const rebuilt = `OR(${values.map((value) => `REGEX_REPLACE({${name}} & '', '[^0-9]', '') = '${value}'`).join(", ")})`;
  if (rebuilt !== formula) return undefined;
  const field = knownField(table, name);
  return (row) => values.includes(String(readCell(row, field, table) ?? "").replace(/[^0-9]/g, ""));
}

/**
 * IS_AFTER(LAST_MODIFIED_TIME({A}, {B}), DATETIME_PARSE('2026-01-01T00:00:00.000Z')): rows where
 * any of the named fields changed after the instant (LAST_MODIFIED_TIME() with no field: any
 * editable field). IS_AFTER({Date field}, DATETIME_PARSE('…')) compares a dateTime, date,
 * createdTime or lastModifiedTime field's own value instead. A row with no such time never matches.
 */
function changedSince(formula: string, table: Table): RowFilter | undefined {
  const match = /^IS_AFTER\((?:LAST_MODIFIED_TIME\(((?:\{[^}]+\}(?:, ?\{[^}]+\})*)?)\)|\{([^}]+)\}), ?DATETIME_PARSE\('([^'\\]+)'\)\)$/.exec(formula);
  if (!match) return undefined;
  const since = Date.parse(match[3]);
  if (Number.isNaN(since)) throw invalid(`DATETIME_PARSE cannot read '${match[3]}'`);
  if (match[2] !== undefined) {
    const field = knownField(table, match[2]);
    if (!["dateTime", "date", "createdTime", "lastModifiedTime"].includes(field.type)) throw invalid(`{${field.name}} is not a date`);
    return (row) => {
      const value = readCell(row, field, table);
      return typeof value === "string" && Date.parse(value) > since;
    };
  }
  const names = match[1] ? [...match[1].matchAll(/\{([^}]+)\}/g)].map((name) => knownField(table, name[1]).name) : editableNames(table);
  return (row) => (lastModified(row, names) ?? -Infinity) > since;
}
