import type Airtable from "airtable";
import { airtableBase, type AirtableRecordLike, type AirtableSettings } from "../airtable/airtable-base";
import { CONFIG_FIELDS } from "../airtable/config-fields";
import { hasActiveColumn } from "../airtable/has-active-column";
import { describeRefusedRow, readConfigRows } from "./read-config-rows";

const CHECK_REQUEST_TIMEOUT_MS = 8000;
const PAGE_SIZE = 100;
// The command has no database, so it cannot take slots on the base's shared pace. One page a
// second stays inside the headroom that pace leaves under Airtable's 5 requests a second, so a
// check run beside a busy server does not get the base paused for 30 s.
const PAGE_SPACING_MS = 1000;

/**
 * What `npm run airtable:check` says about the Client Configuration rows: each row the sync would
 * refuse (malformed, a second row for a number, or forwarding to a tracking number of the table),
 * by row, client and number, with what is wrong.
 */
export async function checkConfigRows(settings: AirtableSettings): Promise<string[]> {
  const table = airtableBase(settings, CHECK_REQUEST_TIMEOUT_MS)(settings.configTable);
  let records: AirtableRecordLike[];
  let baseHasActiveColumn: boolean;
  try {
    records = await readAllRows(table);
    baseHasActiveColumn = records.some((record) => record.fields[CONFIG_FIELDS.active] === true) || (await hasActiveColumn(table));
  } catch (error) {
    const { message } = error as { message?: string };
    return [`The rows of "${settings.configTable}" could not be read, so they were not checked: ${message ?? String(error)}`];
  }
  return readConfigRows(records, { baseHasActiveColumn }).refused.map(describeRefusedRow);
}

/** Every row of the table, a page a second, for a command that has no database and so no shared pace. */
export async function readAllRows(table: Airtable.Table<Airtable.FieldSet>): Promise<AirtableRecordLike[]> {
  const records: AirtableRecordLike[] = [];
  await table.select({ pageSize: PAGE_SIZE }).eachPage(async (page, fetchNextPage) => {
    records.push(...page.map((record) => ({ id: record.id, fields: record.fields as Record<string, unknown> })));
    if (page.length === PAGE_SIZE) await new Promise((resolve) => setTimeout(resolve, PAGE_SPACING_MS));
    fetchNextPage();
  });
  return records;
}
