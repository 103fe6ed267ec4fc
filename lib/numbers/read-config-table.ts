import type Airtable from "airtable";
import { airtableBase, type AirtableRecordLike, type AirtableSettings } from "../airtable/airtable-base";
import { CONFIG_FIELDS } from "../airtable/config-fields";
import { hasActiveColumn } from "../airtable/has-active-column";
import { listAllRecords } from "../airtable/list-all-records";
import { readAllRows } from "../config/check-config-rows";
import type { Database } from "../db/database";
import type { AirtableTurns } from "./airtable-turns";

const REQUEST_TIMEOUT_MS = 10_000;

export type ConfigTable = {
  table: Airtable.Table<Airtable.FieldSet>;
  records: AirtableRecordLike[];
  baseHasActiveColumn: boolean;
};

/**
 * Every Client Configuration row, on the base's shared pace when there is a database (else a page
 * a second), and whether the base has an Active column (a row without a ticked box says nothing).
 */
export async function readConfigTable(settings: AirtableSettings, db: Database | undefined, turns: AirtableTurns): Promise<ConfigTable> {
  const table = airtableBase(settings, REQUEST_TIMEOUT_MS)(settings.configTable);
  let records: AirtableRecordLike[];
  if (db) records = await listAllRecords(db, settings.baseId, table);
  else {
    await turns();
    records = await readAllRows(table);
  }
  let baseHasActiveColumn = records.some((record) => record.fields[CONFIG_FIELDS.active] === true);
  if (!baseHasActiveColumn) {
    await turns();
    baseHasActiveColumn = await hasActiveColumn(table);
  }
  return { table, records, baseHasActiveColumn };
}
