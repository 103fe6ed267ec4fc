import type { Database } from "../db/database";
import { airtableBase, type AirtableSettings } from "../airtable/airtable-base";
import { hasActiveColumn } from "../airtable/has-active-column";
import { listAllRecords } from "../airtable/list-all-records";
import { CONFIG_FIELDS, parseAirtableConfigRow, type AirtableRecordLike } from "./airtable-config-row";
import { configCache } from "./config-cache";
import { saveTrackingNumberSnapshot } from "./tracking-number-snapshot";
import type { TrackingNumberConfig } from "./tracking-number-config";

export type SkippedRow = { recordId: string; row: string; error: string };
export type ConfigSyncReport = { rows: number; synced: number; skipped: SkippedRow[]; stoppedRouting: string[] };

const SYNC_REQUEST_TIMEOUT_MS = 8000;

/**
 * Copies the whole Client Configuration table into the routing snapshot, page by page on the
 * base's shared pace. Each row is validated and normalised on its own: a bad one is reported by
 * its client and number and skipped, never failing the sync. Numbers whose row was deleted, or
 * whose Active box is unticked, stop routing.
 */
export async function syncConfigTable(db: Database, settings: AirtableSettings): Promise<ConfigSyncReport> {
  const table = airtableBase(settings, SYNC_REQUEST_TIMEOUT_MS)(settings.configTable);
  const records = await listAllRecords(db, settings.baseId, table);
  const baseHasActiveColumn = records.some((record) => record.fields[CONFIG_FIELDS.active] === true) || (await hasActiveColumn(table));

  const configs = new Map<string, TrackingNumberConfig>();
  const skipped: SkippedRow[] = [];
  for (const record of records) {
    const parsed = parseAirtableConfigRow(record, { baseHasActiveColumn });
    const row = describeRow(record);
    if (!parsed.ok) skipped.push({ recordId: record.id, row, error: parsed.error });
    else if (configs.has(parsed.config.trackingNumber)) {
      skipped.push({ recordId: record.id, row, error: `${parsed.config.trackingNumber} is already on another row` });
    } else configs.set(parsed.config.trackingNumber, parsed.config);
  }

  const stoppedRouting = await db.transaction(async (tx) => {
    for (const config of configs.values()) await saveTrackingNumberSnapshot(tx, config);
    const routed = [...configs.values()].filter((config) => config.active).map((config) => config.trackingNumber);
    const stopped = await tx.query<{ phone_number: string }>(
      `update public.tracking_numbers set active = false, synced_at = now()
        where active and not (phone_number = any($1::text[]))
        returning phone_number`,
      [routed],
    );
    return stopped.map((row) => row.phone_number);
  });
  configCache.expire();
  return { rows: records.length, synced: configs.size, skipped, stoppedRouting };
}

function describeRow(record: AirtableRecordLike): string {
  const name = record.fields[CONFIG_FIELDS.clientName] ?? record.fields[CONFIG_FIELDS.clientId] ?? "a row without a client";
  const number = record.fields[CONFIG_FIELDS.trackingNumber] ?? "no tracking number";
  return `${String(name)} (${String(number)})`;
}
