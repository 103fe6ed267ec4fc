import type { AirtableSettings } from "./airtable-base";
import { baseSchema, handMadeFields, type FieldSchema } from "./base-schema";
import { AirtableMetaError, listTables, type MetaField } from "./meta-api";

export const TOKEN_SCOPES = ["data.records:read", "data.records:write", "schema.bases:read", "schema.bases:write", "webhook:manage"];

const KIND: Record<string, string> = {
  singleLineText: "a single line text field",
  multilineText: "a long text field",
  phoneNumber: "a phone number field",
  number: "a number field",
  checkbox: "a checkbox field",
  dateTime: "a date field with the time",
  singleSelect: "a single select field",
  lastModifiedTime: "a last modified time field",
};
const kind = (type: string) => KIND[type] ?? `a ${type} field`;

// Text of any kind works where Leadline writes or reads text.
const TEXT_TYPES = new Set(["singleLineText", "multilineText", "phoneNumber", "email", "url"]);
const fits = (actual: string, wanted: FieldSchema) => actual === wanted.type || (TEXT_TYPES.has(wanted.type) && TEXT_TYPES.has(actual));

/**
 * What in the base stops Leadline from working, in words an agency owner can act on: missing
 * tables and fields, fields of the wrong kind, missing Status choices, the hand-made field, and
 * a token that cannot read the base's schema.
 */
export async function checkBase(settings: AirtableSettings): Promise<string[]> {
  let tables;
  try {
    tables = await listTables(settings);
  } catch (error) {
    return [describeAccessProblem(settings, error)];
  }
  const problems: string[] = [];
  for (const wanted of baseSchema(settings)) {
    const table = tables.find((candidate) => candidate.name === wanted.name);
    if (!table) {
      problems.push(`The base has no "${wanted.name}" table. Run npm run airtable:setup to create it.`);
      continue;
    }
    for (const field of wanted.fields) {
      const actual = table.fields.find((candidate) => candidate.name === field.name);
      if (!actual) problems.push(`"${wanted.name}" has no "${field.name}" field (${kind(field.type)}). Run npm run airtable:setup to add it.`);
      else if (!fits(actual.type, field)) {
        problems.push(`"${field.name}" in "${wanted.name}" is ${kind(actual.type)}, but Leadline needs ${kind(field.type)}. Change its type in Airtable.`);
      } else if (field.type === "singleSelect") {
        const missing = missingChoices(actual, field);
        if (missing.length) problems.push(`"${field.name}" in "${wanted.name}" lacks the choices ${missing.map((name) => `"${name}"`).join(", ")}. Add them in Airtable.`);
      }
    }
  }
  for (const { table, field, how } of handMadeFields(settings)) {
    const present = tables.find((candidate) => candidate.name === table)?.fields.find((candidate) => candidate.name === field.name);
    if (!present) problems.push(`"${table}" has no "${field.name}" field, so statuses changed in Airtable cannot reach the app: ${how}.`);
    else if (present.type !== field.type) problems.push(`"${field.name}" in "${table}" is ${kind(present.type)}, but must be ${kind(field.type)} watching Status.`);
  }
  return problems;
}

function missingChoices(actual: MetaField, wanted: FieldSchema): string[] {
  const have = new Set(((actual.options?.choices as { name: string }[] | undefined) ?? []).map((choice) => choice.name));
  return ((wanted.options?.choices as { name: string }[]) ?? []).map((choice) => choice.name).filter((name) => !have.has(name));
}

export function describeAccessProblem(settings: AirtableSettings, error: unknown): string {
  const scopes = TOKEN_SCOPES.join(", ");
  if (error instanceof AirtableMetaError && error.status === 401) {
    return `Airtable refused the token in AIRTABLE_TOKEN. Create a personal access token at https://airtable.com/create/tokens with the scopes ${scopes}, and add base ${settings.baseId} to it.`;
  }
  if (error instanceof AirtableMetaError && (error.status === 403 || error.status === 404)) {
    return `The token cannot read the tables of base ${settings.baseId}. Check AIRTABLE_BASE_ID, give the token the scopes ${scopes}, and add this base to it.`;
  }
  return `Could not reach Airtable: ${(error as Error).message}`;
}
