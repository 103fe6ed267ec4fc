import { airtableBase, airtableErrorType, type AirtableSettings } from "./airtable-base";
import { escapeFormulaString } from "./escape-formula-string";
import { CONFIG_FIELDS, parseAirtableConfigRow } from "../config/airtable-config-row";
import type { TrackingNumberConfig } from "../config/tracking-number-config";
import { E164 } from "../phone/normalize-phone";

export const READ_THROUGH_TIMEOUT_MS = 2000;
const COLUMN_CHECK_TTL_MS = 5 * 60_000;

const activeColumnByBase = new Map<string, { present: boolean; checkedAt: number }>();

/**
 * Finds the Client Configuration row for a tracking number, matching hand-typed numbers too by
 * comparing digits only. One request in the common case; a row without a ticked Active box costs
 * one more, cached, to learn whether the base has that column.
 */
export async function fetchConfigRow(settings: AirtableSettings, trackingNumber: string): Promise<TrackingNumberConfig | undefined> {
  if (!E164.test(trackingNumber)) return undefined;
  const base = airtableBase(settings, READ_THROUGH_TIMEOUT_MS);
  const table = base(settings.configTable);
  const digits = trackingNumber.slice(1);
  const candidates = [digits, ...(digits.startsWith("1") ? [digits.slice(1)] : [])];
  const column = `REGEX_REPLACE({${CONFIG_FIELDS.trackingNumber}} & '', '[^0-9]', '')`;
  const filterByFormula = `OR(${candidates.map((value) => `${column} = ${escapeFormulaString(value)}`).join(", ")})`;

  const records = await table.select({ filterByFormula, maxRecords: 5 }).firstPage();
  for (const record of records) {
    const fields = record.fields as Record<string, unknown>;
    const baseHasActiveColumn =
      fields[CONFIG_FIELDS.active] === true ? true : await hasActiveColumn(settings, () => table.select({ fields: [CONFIG_FIELDS.active], maxRecords: 1 }).firstPage());
    const parsed = parseAirtableConfigRow({ id: record.id, fields }, { baseHasActiveColumn });
    if (parsed.ok && parsed.config.trackingNumber === trackingNumber) return parsed.config;
  }
  return undefined;
}

async function hasActiveColumn(settings: AirtableSettings, probe: () => Promise<unknown>): Promise<boolean> {
  const key = `${settings.baseId}/${settings.configTable}`;
  const known = activeColumnByBase.get(key);
  if (known && Date.now() - known.checkedAt < COLUMN_CHECK_TTL_MS) return known.present;
  let present = true;
  try {
    await probe();
  } catch (error) {
    if (airtableErrorType(error) !== "UNKNOWN_FIELD_NAME") throw error;
    present = false;
  }
  activeColumnByBase.set(key, { present, checkedAt: Date.now() });
  return present;
}
