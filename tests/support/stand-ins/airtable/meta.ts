// Airtable's Meta API for one base: read the schema, create a table, add a field. Field options
// are checked as Airtable checks them on create (see checkFieldOptions).
import type { BaseState } from "./base";
import { findTable } from "./base";
import { checkFieldOptions, fieldModel, newId, tableModel, unprocessable, type Field, type FieldOptions, type FieldType, type Table } from "./model";

const CREATABLE: ReadonlySet<string> = new Set<FieldType>(["singleLineText", "multilineText", "phoneNumber", "email", "url", "number", "checkbox", "date", "dateTime", "singleSelect"]);
/** Types Airtable has but the stand-in does not model; creating one is refused as unsupported here. */
const KNOWN_BUT_READ_ONLY = new Set(["lastModifiedTime", "createdTime", "formula", "autoNumber", "rollup", "multipleLookupValues", "count", "createdBy", "lastModifiedBy", "button"]);

const invalidParameters = () => unprocessable("INVALID_REQUEST_UNKNOWN", "Invalid request: parameter validation failed. Check your request data.");

export function listTables(base: BaseState) {
  return { tables: base.tables.map(tableModel) };
}

function fieldFromBody(raw: unknown, tableName: string, taken: string[]): Field {
  if (typeof raw !== "object" || raw === null) throw invalidParameters();
  const { name, type, options, description } = raw as { name?: unknown; type?: unknown; options?: unknown; description?: unknown };
  if (typeof name !== "string" || name.trim() === "" || taken.some((other) => other.toLowerCase() === name.trim().toLowerCase())) {
    throw unprocessable("DUPLICATE_OR_EMPTY_FIELD_NAME", `Field name "${String(name)}" is empty or already used in ${tableName}`);
  }
  if (typeof type !== "string") throw invalidParameters();
  if (KNOWN_BUT_READ_ONLY.has(type)) throw unprocessable("UNSUPPORTED_FIELD_TYPE_FOR_CREATE", `Field type ${type} cannot be created through the API`);
  if (!CREATABLE.has(type)) throw unprocessable("INVALID_FIELD_TYPE", `The stand-in does not know the field type ${type}`);
  const checked = checkFieldOptions(type as FieldType, options as FieldOptions | undefined);
  if (!checked.ok) {
    throw unprocessable("INVALID_FIELD_TYPE_OPTIONS_FOR_CREATE", `Invalid options for ${tableName}.${name}: Failed schema validation: ${checked.problem}`);
  }
  return { id: newId("fld"), name: name.trim(), type: type as FieldType, options: checked.options, ...(typeof description === "string" ? { description } : {}) };
}

export function createTable(base: BaseState, body: unknown) {
  const { name, description, fields } = (body ?? {}) as { name?: unknown; description?: unknown; fields?: unknown };
  if (typeof name !== "string" || name.trim() === "") throw invalidParameters();
  if (findTable(base, name.trim()) || base.tables.some((table) => table.name.toLowerCase() === name.trim().toLowerCase())) {
    throw unprocessable("DUPLICATE_TABLE_NAME", `A table named "${name}" already exists`);
  }
  if (!Array.isArray(fields) || fields.length === 0) throw invalidParameters();
  const created: Field[] = [];
  for (const raw of fields) created.push(fieldFromBody(raw, name, created.map((field) => field.name)));
  const table: Table = { id: newId("tbl"), name: name.trim(), ...(typeof description === "string" ? { description } : {}), fields: created, rows: [], viewId: newId("viw") };
  base.tables.push(table);
  return tableModel(table);
}

export function createField(base: BaseState, tableIdOrName: string, body: unknown) {
  const table = findTable(base, tableIdOrName);
  if (!table) return undefined;
  const field = fieldFromBody(body, table.name, table.fields.map((existing) => existing.name));
  table.fields.push(field);
  return fieldModel(field);
}
