import { airtableBase, type AirtableSettings } from "../airtable/airtable-base";
import { CONFIG_FIELDS } from "../airtable/config-fields";
import { escapeFormulaString } from "../airtable/escape-formula-string";
import { hasActiveColumn } from "../airtable/has-active-column";
import { E164 } from "../phone/normalize-phone";
import { parseAirtableConfigRow } from "./airtable-config-row";
import type { TrackingNumberConfig } from "./tracking-number-config";

/**
 * Finds the Client Configuration row for a tracking number, matching hand-typed numbers too by
 * comparing digits only. One request in the common case; a row without a ticked Active box costs
 * one more, to learn whether the base has that column. It runs once per new number (the snapshot
 * answers after that), so it is not cached: a column added or removed counts at once.
 */
export async function fetchConfigRow(settings: AirtableSettings, trackingNumber: string, timeoutMs: number): Promise<TrackingNumberConfig | undefined> {
  if (!E164.test(trackingNumber)) return undefined;
  const base = airtableBase(settings, timeoutMs);
  const table = base(settings.configTable);
  const digits = trackingNumber.slice(1);
  const candidates = [digits, ...(digits.startsWith("1") ? [digits.slice(1)] : [])];
  const column = `REGEX_REPLACE({${CONFIG_FIELDS.trackingNumber}} & '', '[^0-9]', '')`;
  const filterByFormula = `OR(${candidates.map((value) => `${column} = ${escapeFormulaString(value)}`).join(", ")})`;

  const records = await table.select({ filterByFormula, maxRecords: 5 }).firstPage();
  for (const record of records) {
    const fields = record.fields as Record<string, unknown>;
    const baseHasActiveColumn = fields[CONFIG_FIELDS.active] === true || (await hasActiveColumn(table));
    const parsed = parseAirtableConfigRow({ id: record.id, fields }, { baseHasActiveColumn });
    if (parsed.ok && parsed.config.trackingNumber === trackingNumber) return parsed.config;
  }
  return undefined;
}
