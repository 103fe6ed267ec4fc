import type { AirtableSettings } from "./airtable-base";
import { baseSchema } from "./base-schema";
import { createField, createTable, listTables } from "./meta-api";

/**
 * Creates what the base lacks, through the Meta API: each missing table with all its fields, each
 * missing field of an existing table. Existing fields are never changed. Returns what it did.
 */
export async function setUpBase(settings: AirtableSettings): Promise<string[]> {
  const tables = await listTables(settings);
  const done: string[] = [];
  for (const wanted of baseSchema(settings)) {
    const table = tables.find((candidate) => candidate.name === wanted.name);
    if (!table) {
      await createTable(settings, wanted);
      done.push(`created the "${wanted.name}" table with ${wanted.fields.length} fields`);
      continue;
    }
    for (const field of wanted.fields) {
      if (table.fields.some((candidate) => candidate.name === field.name)) continue;
      await createField(settings, table.id, field);
      done.push(`added "${field.name}" to "${wanted.name}"`);
    }
  }
  return done;
}
