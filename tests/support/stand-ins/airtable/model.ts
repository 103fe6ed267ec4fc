// Airtable's data model as the stand-in keeps it: ids, field types with their options, the errors
// the service answers with, and how a written value is checked (and, with `typecast`, converted).
import { randomBytes } from "node:crypto";

export type FieldType =
  | "singleLineText"
  | "multilineText"
  | "phoneNumber"
  | "email"
  | "url"
  | "number"
  | "checkbox"
  | "date"
  | "dateTime"
  | "singleSelect"
  | "lastModifiedTime"
  | "createdTime";

export type FieldOptions = Record<string, unknown>;
/** A column as `defineTable` takes it: a bare name is a single line text field. */
export type FieldSpec = string | { name: string; type: FieldType; options?: FieldOptions; description?: string };
export type Field = { id: string; name: string; type: FieldType; options?: FieldOptions; description?: string };

export type Row = {
  id: string;
  createdTime: number;
  /** Cells by field name; an empty cell is absent. */
  fields: Record<string, unknown>;
  /** When each field's value last changed (ms), for lastModifiedTime fields and LAST_MODIFIED_TIME(). */
  modified: Record<string, number>;
};

export type Table = { id: string; name: string; description?: string; fields: Field[]; rows: Row[]; viewId: string };

/** An error answer; handlers throw it and the router turns it into the response. */
export class Failure {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}

export const fail = (status: number, type: string, message: string) => new Failure(status, { error: { type, message } });
export const unprocessable = (type: string, message: string) => fail(422, type, message);

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/** Airtable ids: a three-letter prefix and 14 letters or digits (rec…, tbl…, fld…, sel…, viw…, itr…). */
export function newId(prefix: string): string {
  return prefix + [...randomBytes(14)].map((byte) => ALPHABET[byte % ALPHABET.length]).join("");
}

export const COMPUTED_TYPES: ReadonlySet<FieldType> = new Set(["lastModifiedTime", "createdTime"]);
const TEXT_TYPES: ReadonlySet<FieldType> = new Set(["singleLineText", "multilineText", "phoneNumber", "email", "url"]);
/** Types `performUpsert.fieldsToMergeOn` accepts (Airtable: number, text, long text, select, date). */
export const MERGEABLE_TYPES: ReadonlySet<FieldType> = new Set(["singleLineText", "multilineText", "number", "singleSelect", "date", "dateTime"]);

const CHECKBOX_ICONS = ["check", "xCheckbox", "star", "heart", "thumbsUp", "flag", "dot"];
const CHECKBOX_COLORS = ["greenBright", "tealBright", "cyanBright", "blueBright", "purpleBright", "pinkBright", "redBright", "orangeBright", "yellowBright", "grayBright"];
const DATE_FORMATS: Record<string, string> = { local: "l", friendly: "LL", us: "M/D/YYYY", european: "D/M/YYYY", iso: "YYYY-MM-DD" };
const TIME_FORMATS: Record<string, string> = { "12hour": "h:mma", "24hour": "HH:mm" };

type OptionsCheck = { ok: true; options?: FieldOptions } | { ok: false; problem: string };

/**
 * Checks a field's options the way the Meta API does on create: each type that has options needs
 * them (number: precision 0–8; checkbox: icon and color; date: dateFormat; dateTime: dateFormat,
 * timeFormat, timeZone; singleSelect: choices), and a type without options must not get any.
 * Returns the options as Airtable stores them (formats filled in, choice ids given).
 */
export function checkFieldOptions(type: FieldType, options: FieldOptions | undefined): OptionsCheck {
  const has = (key: string) => options !== undefined && options[key] !== undefined;
  if (TEXT_TYPES.has(type)) return options === undefined ? { ok: true } : { ok: false, problem: `options is not included in the ${type} schema` };
  if (options === undefined || typeof options !== "object" || options === null) return { ok: false, problem: "options is missing" };
  switch (type) {
    case "number": {
      const precision = options.precision;
      if (!Number.isInteger(precision) || (precision as number) < 0 || (precision as number) > 8) return { ok: false, problem: "options.precision must be an integer from 0 to 8" };
      return { ok: true, options: { precision } };
    }
    case "checkbox":
      if (!CHECKBOX_ICONS.includes(options.icon as string)) return { ok: false, problem: `options.icon must be one of ${CHECKBOX_ICONS.join(", ")}` };
      if (!CHECKBOX_COLORS.includes(options.color as string)) return { ok: false, problem: `options.color must be one of ${CHECKBOX_COLORS.join(", ")}` };
      return { ok: true, options: { icon: options.icon, color: options.color } };
    case "date":
    case "dateTime": {
      const dateFormat = checkFormat(options.dateFormat, DATE_FORMATS, "dateFormat");
      if (typeof dateFormat === "string") return { ok: false, problem: dateFormat };
      if (type === "date") return { ok: true, options: { dateFormat } };
      const timeFormat = checkFormat(options.timeFormat, TIME_FORMATS, "timeFormat");
      if (typeof timeFormat === "string") return { ok: false, problem: timeFormat };
      if (!has("timeZone") || !isTimeZone(options.timeZone)) return { ok: false, problem: "options.timeZone is missing or not a time zone" };
      return { ok: true, options: { dateFormat, timeFormat, timeZone: options.timeZone } };
    }
    case "singleSelect": {
      const choices = options.choices;
      if (!Array.isArray(choices) || !choices.every((choice) => typeof choice?.name === "string" && choice.name !== "")) {
        return { ok: false, problem: "options.choices must be an array of {name}" };
      }
      return { ok: true, options: { choices: choices.map((choice) => ({ id: newId("sel"), name: choice.name, ...(choice.color ? { color: choice.color } : {}) })) } };
    }
    default:
      return { ok: false, problem: `${type} fields cannot be created through the API` };
  }
}

function checkFormat(value: unknown, formats: Record<string, string>, key: string): { name: string; format: string } | string {
  const name = (value as { name?: unknown } | undefined)?.name;
  if (typeof name !== "string" || !(name in formats)) return `options.${key}.name must be one of ${Object.keys(formats).join(", ")}`;
  const format = (value as { format?: unknown }).format;
  if (format !== undefined && format !== formats[name]) return `options.${key}.format does not match its name`;
  return { name, format: formats[name] };
}

function isTimeZone(value: unknown): value is string {
  if (value === "utc" || value === "client") return true;
  if (typeof value !== "string") return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** Options a field made by hand in Airtable's UI would have, for `defineTable` fields given without them. */
export function defaultFieldOptions(type: FieldType, fieldsByName: Map<string, Field>, given?: FieldOptions): FieldOptions | undefined {
  switch (type) {
    case "number":
      return { precision: 0, ...given };
    case "checkbox":
      return { icon: "check", color: "greenBright", ...given };
    case "date":
      return { dateFormat: { name: "iso", format: "YYYY-MM-DD" }, ...given };
    case "dateTime":
      return { dateFormat: { name: "iso", format: "YYYY-MM-DD" }, timeFormat: { name: "24hour", format: "HH:mm" }, timeZone: "utc", ...given };
    case "singleSelect":
      return { choices: ((given?.choices as { name: string; color?: string }[] | undefined) ?? []).map((choice) => ({ id: newId("sel"), ...choice })) };
    case "lastModifiedTime": {
      const watched = (given?.referencedFieldIds as string[] | undefined) ?? [];
      const referencedFieldIds = watched.map((nameOrId) => {
        const field = fieldsByName.get(nameOrId) ?? [...fieldsByName.values()].find((candidate) => candidate.id === nameOrId);
        if (!field) throw new Error(`lastModifiedTime watches unknown field ${nameOrId}`);
        return field.id;
      });
      return { isValid: true, referencedFieldIds, result: { type: "dateTime", options: defaultFieldOptions("dateTime", fieldsByName) } };
    }
    case "createdTime":
      return { result: { type: "dateTime", options: defaultFieldOptions("dateTime", fieldsByName) } };
    default:
      return undefined;
  }
}

/** Pending select options a `typecast` write would add, committed only if the whole request succeeds. */
export type NewChoices = Map<Field, Set<string>>;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;
const FALSE_WORDS = new Set(["", "false", "0", "no", "off", "unchecked"]);

/**
 * Checks one written cell like Airtable does and returns the value to store (undefined = empty).
 * Without typecast the JSON type must match the field; with it, strings (and numbers) are converted
 * on a best-effort basis and a select option that does not exist is created.
 */
export function convertCell(field: Field, value: unknown, typecast: boolean, newChoices: NewChoices): unknown {
  const wrong = () => unprocessable("INVALID_VALUE_FOR_COLUMN", `Field "${field.name}" cannot accept the provided value`);
  if (COMPUTED_TYPES.has(field.type)) {
    throw unprocessable("INVALID_VALUE_FOR_COLUMN", `Field "${field.name}" cannot accept a value because the field is computed`);
  }
  if (value === null || value === undefined) return undefined;
  if (TEXT_TYPES.has(field.type)) {
    if (typeof value === "string") return value === "" ? undefined : value;
    if (typecast && (typeof value === "number" || typeof value === "boolean")) return String(value);
    throw wrong();
  }
  switch (field.type) {
    case "number": {
      if (typeof value === "number" && Number.isFinite(value)) return value;
      if (!typecast || typeof value !== "string") throw wrong();
      const text = value.trim().replace(/,/g, "");
      if (text === "") return undefined;
      const parsed = Number(text);
      if (!Number.isFinite(parsed)) throw unprocessable("INVALID_VALUE_FOR_COLUMN", `Cannot parse value "${value}" for field ${field.name}`);
      return parsed;
    }
    case "checkbox":
      if (typeof value === "boolean") return value || undefined;
      if (!typecast) throw wrong();
      if (typeof value === "string") return FALSE_WORDS.has(value.trim().toLowerCase()) ? undefined : true;
      if (typeof value === "number") return value !== 0 || undefined;
      throw wrong();
    case "date":
    case "dateTime": {
      if (typeof value !== "string") throw wrong();
      if (value === "") return undefined;
      if (!ISO_DATE.test(value) && !ISO_DATE_TIME.test(value) && !typecast) throw wrong();
      const ms = parseInFieldZone(value, field);
      if (Number.isNaN(ms)) throw unprocessable("INVALID_VALUE_FOR_COLUMN", `Cannot parse date value "${value}" for field ${field.name}`);
      return field.type === "date" ? new Date(ms).toISOString().slice(0, 10) : new Date(ms).toISOString();
    }
    case "singleSelect": {
      let name: string;
      if (typeof value === "string") name = value;
      else if (typecast && (typeof value === "number" || typeof value === "boolean")) name = String(value);
      else throw wrong();
      if (name === "") return undefined;
      const choices = (field.options?.choices as { name: string }[] | undefined) ?? [];
      if (choices.some((choice) => choice.name === name) || newChoices.get(field)?.has(name)) return name;
      if (!typecast) throw unprocessable("INVALID_MULTIPLE_CHOICE_OPTIONS", `Insufficient permissions to create new select option ""${name}""`);
      newChoices.set(field, (newChoices.get(field) ?? new Set()).add(name));
      return name;
    }
    default:
      throw wrong();
  }
}

export function commitNewChoices(newChoices: NewChoices) {
  for (const [field, names] of newChoices) {
    const choices = (field.options?.choices as { id: string; name: string }[] | undefined) ?? [];
    for (const name of names) if (!choices.some((choice) => choice.name === name)) choices.push({ id: newId("sel"), name });
    field.options = { ...field.options, choices };
  }
}

/** A date string without a zone is read in the field's time zone (utc and client mean UTC here). */
function parseInFieldZone(value: string, field: Field): number {
  const zone = field.options?.timeZone;
  if (ISO_DATE.test(value)) return Date.parse(`${value}T00:00:00Z`);
  if (!ISO_DATE_TIME.test(value)) return Date.parse(value);
  if (/(Z|[+-]\d{2}:?\d{2})$/.test(value)) return Date.parse(value.replace(" ", "T"));
  const wallClockAsUtc = Date.parse(`${value.replace(" ", "T")}Z`);
  if (typeof zone !== "string" || zone === "utc" || zone === "client" || field.type === "date") return wallClockAsUtc;
  return wallClockAsUtc - zoneOffsetMs(zone, wallClockAsUtc);
}

function zoneOffsetMs(timeZone: string, at: number): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" })
      .formatToParts(new Date(at))
      .map((part) => [part.type, part.value]),
  );
  return Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second) - Math.floor(at / 1000) * 1000;
}

/** A cell as the API reads it: computed fields computed, empty cells and unticked boxes left out. */
export function readCell(row: Row, field: Field, table: Table): unknown {
  if (field.type === "createdTime") return new Date(row.createdTime).toISOString();
  if (field.type === "lastModifiedTime") {
    const watched = (field.options?.referencedFieldIds as string[] | undefined) ?? [];
    const names = watched.length ? table.fields.filter((candidate) => watched.includes(candidate.id)).map((candidate) => candidate.name) : editableNames(table);
    const at = lastModified(row, names);
    return at === undefined ? undefined : new Date(at).toISOString();
  }
  const value = row.fields[field.name];
  return value === "" || value === false || value === null ? undefined : value;
}

export const editableNames = (table: Table) => table.fields.filter((field) => !COMPUTED_TYPES.has(field.type)).map((field) => field.name);

export function lastModified(row: Row, fieldNames: string[]): number | undefined {
  const times = fieldNames.map((name) => row.modified[name]).filter((at): at is number => at !== undefined);
  return times.length ? Math.max(...times) : undefined;
}

export function findField(table: Table, nameOrId: string): Field | undefined {
  return table.fields.find((field) => field.name === nameOrId) ?? table.fields.find((field) => field.id === nameOrId);
}

export function fieldModel(field: Field) {
  return { id: field.id, name: field.name, type: field.type, ...(field.options ? { options: field.options } : {}), ...(field.description ? { description: field.description } : {}) };
}

export function tableModel(table: Table) {
  return {
    id: table.id,
    name: table.name,
    ...(table.description ? { description: table.description } : {}),
    primaryFieldId: table.fields[0]?.id,
    fields: table.fields.map(fieldModel),
    views: [{ id: table.viewId, name: "Grid view", type: "grid" }],
  };
}
