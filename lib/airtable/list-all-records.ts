import type Airtable from "airtable";
import type { Database } from "../db/database";
import { waitForPaceTurn } from "./airtable-pace";
import type { AirtableRecordLike } from "./airtable-base";

export const LIST_PAGE_SIZE = 100;

/** Every record a query selects, page by page, each request on the base's shared pace. */
export async function listAllRecords(
  db: Database,
  baseId: string,
  table: Airtable.Table<Airtable.FieldSet>,
  params: Airtable.SelectOptions<Airtable.FieldSet> = {},
): Promise<AirtableRecordLike[]> {
  const paced = () => waitForPaceTurn(db, baseId);
  const records: AirtableRecordLike[] = [];
  await paced();
  await table.select({ ...params, pageSize: LIST_PAGE_SIZE }).eachPage(async (page, fetchNextPage) => {
    records.push(...page.map((record) => ({ id: record.id, fields: record.fields as Record<string, unknown> })));
    // A full page may have a next one, which is another request; a short page is the last.
    if (page.length === LIST_PAGE_SIZE) await paced();
    fetchNextPage();
  });
  return records;
}
