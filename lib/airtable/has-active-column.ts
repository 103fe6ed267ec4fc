import type Airtable from "airtable";
import { airtableErrorType } from "./airtable-base";
import { CONFIG_FIELDS } from "./config-fields";

/**
 * Airtable leaves unticked checkboxes out of records, so a record without Active is either
 * unticked or from a base with no such column (which routes every row). Asking for that one field
 * tells them apart: an unknown field is a 422.
 */
export async function hasActiveColumn(table: Airtable.Table<Airtable.FieldSet>): Promise<boolean> {
  try {
    await table.select({ fields: [CONFIG_FIELDS.active], maxRecords: 1 }).firstPage();
    return true;
  } catch (error) {
    if (airtableErrorType(error) === "UNKNOWN_FIELD_NAME") return false;
    throw error;
  }
}
