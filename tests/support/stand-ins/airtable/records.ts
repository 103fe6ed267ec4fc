// Airtable's records API on one table: list (pagination, fields[], filterByFormula), get, create,
// update (PATCH keeps unsent cells, PUT clears them), upsert with performUpsert, delete.
import type { BaseState, BaseSettings } from "./base";
import { parseFilterFormula } from "./formula";
import {
  MERGEABLE_TYPES,
  commitNewChoices,
  convertCell,
  fail,
  findField,
  newId,
  readCell,
  unprocessable,
  COMPUTED_TYPES,
  type Field,
  type NewChoices,
  type Row,
  type Table,
} from "./model";

const MAX_BATCH = 10;
const INVALID_PARAMETERS = () => unprocessable("INVALID_REQUEST_UNKNOWN", "Invalid request: parameter validation failed. Check your request data.");
const notSupportedHere = (what: string) => fail(400, "NOT_SUPPORTED_BY_STAND_IN", `The Airtable stand-in does not implement ${what}`);

export type ListParams = {
  fields?: string[];
  filterByFormula?: string;
  pageSize?: unknown;
  maxRecords?: unknown;
  offset?: unknown;
  returnFieldsByFieldId?: unknown;
  view?: unknown;
  cellFormat?: unknown;
  [other: string]: unknown;
};

const LIST_PARAMS = new Set(["fields", "filterByFormula", "pageSize", "maxRecords", "offset", "returnFieldsByFieldId", "view", "cellFormat"]);
const UNIMPLEMENTED_LIST_PARAMS = new Set(["sort", "timeZone", "userLocale", "recordMetadata"]);

/** GET …/{table} query parameters (fields[]=, sort[0][field]=, …) as list parameters. */
export function listParamsFromQuery(search: URLSearchParams): ListParams {
  const params: ListParams = {};
  for (const [key, value] of search) {
    if (key === "fields[]" || key === "fields") (params.fields ??= []).push(value);
    else params[key.replace(/\[.*$/, "")] = value;
  }
  return params;
}

const asBool = (value: unknown) => value === true || value === "true" || value === "1";

function positiveInteger(value: unknown, max = Infinity): number | undefined {
  if (value === undefined || value === "") return undefined;
  const number = typeof value === "number" ? value : Number(value);
  if (!Number.isInteger(number) || number < 1 || number > max) throw INVALID_PARAMETERS();
  return number;
}

export function renderRecord(row: Row, table: Table, options: { only?: Field[]; byFieldId?: boolean } = {}) {
  const fields: Record<string, unknown> = {};
  for (const field of options.only ?? table.fields) {
    const value = readCell(row, field, table);
    if (value !== undefined) fields[options.byFieldId ? field.id : field.name] = value;
  }
  return { id: row.id, createdTime: new Date(row.createdTime).toISOString(), fields };
}

export function listRecords(base: BaseState, table: Table, params: ListParams) {
  for (const key of Object.keys(params)) {
    if (UNIMPLEMENTED_LIST_PARAMS.has(key)) throw notSupportedHere(`the ${key} parameter`);
    if (!LIST_PARAMS.has(key)) throw INVALID_PARAMETERS();
  }
  if (params.view !== undefined && params.view !== "Grid view" && params.view !== table.viewId) throw unprocessable("VIEW_NAME_NOT_FOUND", `Could not find view ${params.view} in table ${table.name}`);
  if (params.cellFormat !== undefined && params.cellFormat !== "json") throw notSupportedHere("cellFormat=string");
  const only = params.fields?.map((name) => findField(table, name) ?? throwUnknownField(name));
  const pageSize = positiveInteger(params.pageSize, 100) ?? 100;
  const render = (row: Row) => renderRecord(row, table, { only, byFieldId: asBool(params.returnFieldsByFieldId) });

  let iteratorId: string;
  let start: number;
  if (params.offset !== undefined && params.offset !== "") {
    const [id, recordId] = String(params.offset).split("/");
    const iterator = base.iterators.get(id);
    start = iterator && iterator.tableId === table.id ? iterator.ids.indexOf(recordId) : -1;
    if (start < 0) throw unprocessable("LIST_RECORDS_ITERATOR_NOT_AVAILABLE", "The iterator is not available. Restart the listing from the first page.");
    iteratorId = id;
  } else {
    const filter = params.filterByFormula ? parseFilterFormula(params.filterByFormula, table) : () => true;
    const maxRecords = positiveInteger(params.maxRecords);
    const ids = table.rows.filter(filter).map((row) => row.id).slice(0, maxRecords);
    iteratorId = newId("itr");
    base.iterators.set(iteratorId, { tableId: table.id, ids });
    start = 0;
  }
  const ids = base.iterators.get(iteratorId)!.ids;
  const pageIds = ids.slice(start, start + pageSize);
  const rows = pageIds.map((id) => table.rows.find((row) => row.id === id)).filter((row): row is Row => row !== undefined);
  const next = ids[start + pageSize];
  if (!next) base.iterators.delete(iteratorId);
  return { records: rows.map(render), ...(next ? { offset: `${iteratorId}/${next}` } : {}) };
}

function throwUnknownField(name: string): never {
  throw unprocessable("UNKNOWN_FIELD_NAME", `Unknown field name: "${name}"`);
}

export function getRecord(table: Table, recordId: string, byFieldId: boolean) {
  return renderRecord(rowOrNotFound(table, recordId), table, { byFieldId });
}

function rowOrNotFound(table: Table, recordId: string): Row {
  const row = table.rows.find((candidate) => candidate.id === recordId);
  if (!row) throw fail(404, "MODEL_ID_NOT_FOUND", `Could not find a record with ID "${recordId}".`);
  return row;
}

type WriteBody = Record<string, unknown>;

function checkBody(body: unknown, allowed: string[]): WriteBody {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw INVALID_PARAMETERS();
  if (Object.keys(body).some((key) => !allowed.includes(key))) throw INVALID_PARAMETERS();
  const typecast = (body as WriteBody).typecast;
  if (typecast !== undefined && typeof typecast !== "boolean") throw INVALID_PARAMETERS();
  return body as WriteBody;
}

function batch(body: WriteBody, verb: string): { id?: unknown; fields?: unknown }[] {
  const records = body.records;
  if (!Array.isArray(records)) throw INVALID_PARAMETERS();
  if (records.length === 0 || records.length > MAX_BATCH) {
    throw unprocessable("INVALID_RECORDS", `A maximum of ${MAX_BATCH} records can be ${verb} per request but you have provided ${records.length}.`);
  }
  for (const record of records) {
    if (typeof record !== "object" || record === null) throw INVALID_PARAMETERS();
    if (typeof record.fields !== "object" || record.fields === null || Array.isArray(record.fields)) {
      throw unprocessable("INVALID_REQUEST_MISSING_FIELDS", 'Could not find field "fields" in the request body');
    }
  }
  return records;
}

/** Every written cell checked and converted; nothing is stored unless the whole request is valid. */
function convertFields(table: Table, fields: Record<string, unknown>, typecast: boolean, newChoices: NewChoices): Map<Field, unknown> {
  const converted = new Map<Field, unknown>();
  for (const [key, value] of Object.entries(fields)) {
    const field = findField(table, key) ?? throwUnknownField(key);
    converted.set(field, convertCell(field, value, typecast, newChoices));
  }
  return converted;
}

function applyFields(row: Row, table: Table, cells: Map<Field, unknown>, destructive: boolean, at: number) {
  const next: Record<string, unknown> = destructive ? {} : { ...row.fields };
  for (const [field, value] of cells) {
    if (value === undefined) delete next[field.name];
    else next[field.name] = value;
  }
  for (const field of table.fields) {
    if (COMPUTED_TYPES.has(field.type)) continue;
    if (JSON.stringify(next[field.name]) !== JSON.stringify(row.fields[field.name])) row.modified[field.name] = at;
  }
  row.fields = next;
}

function newRow(table: Table, cells: Map<Field, unknown>, at: number): Row {
  const row: Row = { id: newId("rec"), createdTime: at, fields: {}, modified: {} };
  applyFields(row, table, cells, true, at);
  table.rows.push(row);
  return row;
}

export function createRecords(table: Table, rawBody: unknown, settings: BaseSettings) {
  const body = checkBody(rawBody, ["records", "fields", "typecast", "returnFieldsByFieldId"]);
  const typecast = body.typecast === true;
  const newChoices: NewChoices = new Map();
  const byFieldId = body.returnFieldsByFieldId === true;
  if (body.records === undefined) {
    if (typeof body.fields !== "object" || body.fields === null) throw unprocessable("INVALID_REQUEST_MISSING_FIELDS", 'Could not find field "fields" in the request body');
    const cells = convertFields(table, body.fields as Record<string, unknown>, typecast, newChoices);
    commitNewChoices(newChoices);
    return renderRecord(newRow(table, cells, settings.now()), table, { byFieldId });
  }
  const records = batch(body, "created");
  const converted = records.map((record) => convertFields(table, record.fields as Record<string, unknown>, typecast, newChoices));
  commitNewChoices(newChoices);
  const at = settings.now();
  return { records: converted.map((cells) => renderRecord(newRow(table, cells, at), table, { byFieldId })) };
}

export function updateRecord(table: Table, recordId: string, rawBody: unknown, destructive: boolean, settings: BaseSettings) {
  const body = checkBody(rawBody, ["fields", "typecast", "returnFieldsByFieldId"]);
  if (typeof body.fields !== "object" || body.fields === null) throw unprocessable("INVALID_REQUEST_MISSING_FIELDS", 'Could not find field "fields" in the request body');
  const row = rowOrNotFound(table, recordId);
  const newChoices: NewChoices = new Map();
  const cells = convertFields(table, body.fields as Record<string, unknown>, body.typecast === true, newChoices);
  commitNewChoices(newChoices);
  applyFields(row, table, cells, destructive, settings.now());
  return renderRecord(row, table, { byFieldId: body.returnFieldsByFieldId === true });
}

/**
 * PATCH/PUT on the table. With performUpsert, a record without an id is matched on
 * fieldsToMergeOn: no match creates it, one match updates it, more than one fails the request.
 * Matches are looked for among `rowsAtArrival`: the rows as they were when the request arrived.
 */
export function updateRecords(table: Table, rawBody: unknown, destructive: boolean, settings: BaseSettings, rowsAtArrival: Row[] = table.rows) {
  const body = checkBody(rawBody, ["records", "typecast", "performUpsert", "returnFieldsByFieldId"]);
  const typecast = body.typecast === true;
  const records = batch(body, "updated");
  const mergeOn = body.performUpsert === undefined ? undefined : mergeFields(table, body.performUpsert);
  const newChoices: NewChoices = new Map();
  const planned: { row?: Row; cells: Map<Field, unknown> }[] = [];
  const claimed = new Set<Row>();
  const keysInBatch = new Set<string>();

  for (const record of records) {
    const cells = convertFields(table, record.fields as Record<string, unknown>, typecast, newChoices);
    if (record.id !== undefined) {
      const row = table.rows.find((candidate) => candidate.id === record.id);
      if (!row) throw unprocessable("ROW_DOES_NOT_EXIST", `Record ID ${String(record.id)} does not exist in this table`);
      planned.push({ row, cells });
      continue;
    }
    if (!mergeOn) throw unprocessable("INVALID_REQUEST_MISSING_FIELDS", 'Could not find field "id" in the request body');
    const key = mergeOn.map((field) => {
      const value = cells.get(field);
      if (value === undefined) throw unprocessable("INVALID_REQUEST_UNKNOWN", `Every record to upsert needs a value for "${field.name}", a field to merge on`);
      return value;
    });
    const keyText = JSON.stringify(key);
    if (keysInBatch.has(keyText)) throw unprocessable("INVALID_REQUEST_UNKNOWN", `Two records in this request have the same values for ${mergeOn.map((field) => field.name).join(", ")}`);
    keysInBatch.add(keyText);
    const matches = rowsAtArrival.filter((row) => mergeOn.every((field, i) => JSON.stringify(row.fields[field.name]) === JSON.stringify(key[i])));
    if (matches.length > 1) {
      throw unprocessable("INVALID_REQUEST_UNKNOWN", `Cannot update more than one record: ${matches.length} records match ${mergeOn.map((field) => field.name).join(", ")} = ${keyText}`);
    }
    if (matches[0] && claimed.has(matches[0])) throw unprocessable("INVALID_REQUEST_UNKNOWN", `Record ${matches[0].id} is written twice in this request`);
    if (matches[0]) claimed.add(matches[0]);
    planned.push({ row: matches[0], cells });
  }

  commitNewChoices(newChoices);
  const at = settings.now();
  const byFieldId = body.returnFieldsByFieldId === true;
  const createdRecords: string[] = [];
  const updatedRecords: string[] = [];
  const written = planned.map(({ row, cells }) => {
    if (row) {
      applyFields(row, table, cells, destructive, at);
      updatedRecords.push(row.id);
      return renderRecord(row, table, { byFieldId });
    }
    const created = newRow(table, cells, at);
    createdRecords.push(created.id);
    return renderRecord(created, table, { byFieldId });
  });
  return mergeOn ? { records: written, createdRecords, updatedRecords } : { records: written };
}

function mergeFields(table: Table, performUpsert: unknown): Field[] {
  const names = (performUpsert as { fieldsToMergeOn?: unknown } | null)?.fieldsToMergeOn;
  if (!Array.isArray(names) || names.length < 1 || names.length > 3 || names.some((name) => typeof name !== "string")) throw INVALID_PARAMETERS();
  return names.map((name: string) => {
    const field = findField(table, name) ?? throwUnknownField(name);
    if (!MERGEABLE_TYPES.has(field.type)) {
      throw unprocessable("INVALID_REQUEST_UNKNOWN", `Field "${field.name}" of type ${field.type} cannot be used in fieldsToMergeOn`);
    }
    return field;
  });
}

export function deleteRecords(table: Table, ids: string[]) {
  if (ids.length === 0 || ids.length > MAX_BATCH) {
    throw unprocessable("INVALID_RECORDS", `A maximum of ${MAX_BATCH} records can be deleted per request but you have provided ${ids.length}.`);
  }
  const missing = ids.find((id) => !table.rows.some((row) => row.id === id));
  if (missing) throw unprocessable("ROW_DOES_NOT_EXIST", `Record ID ${missing} does not exist in this table`);
  table.rows = table.rows.filter((row) => !ids.includes(row.id));
  return { records: ids.map((id) => ({ id, deleted: true })) };
}

export function deleteRecord(table: Table, recordId: string) {
  rowOrNotFound(table, recordId);
  table.rows = table.rows.filter((row) => row.id !== recordId);
  return { id: recordId, deleted: true };
}
