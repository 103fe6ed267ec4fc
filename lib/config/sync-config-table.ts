import type { Database } from "../db/database";
import { airtableBase, type AirtableSettings } from "../airtable/airtable-base";
import { CONFIG_FIELDS } from "../airtable/config-fields";
import { hasActiveColumn } from "../airtable/has-active-column";
import { listAllRecords } from "../airtable/list-all-records";
import { forgetSiteConfigs } from "../tracking/read-site-config";
import { configCache } from "./config-cache";
import { findRoutingLoop, readConfigRows, type RefusedConfigRow } from "./read-config-rows";
import { saveTrackingNumberSnapshot, snapshotTrackingNumbers } from "./tracking-number-snapshot";

/** A row the sync refused, by client and number, and what routes its number meanwhile. */
export type SkippedRow = { recordId: string; row: string; error: string; routing: string };
export type ConfigSyncReport = { rows: number; synced: number; skipped: SkippedRow[]; stoppedRouting: string[] };

type HeldNumber = { phone_number: string; airtable_record_id: string | null; primary_number: string; sms_forward_number: string };

const SYNC_REQUEST_TIMEOUT_MS = 8000;

/**
 * Copies the whole Client Configuration table into the routing snapshot, page by page on the
 * base's shared pace. A row that is malformed, or would forward to a tracking number, is refused
 * and reported by its client and number, never failing the sync; its number keeps the config the
 * last good sync left (found by the row's record id, or by its number when that still parses), so
 * a typo in Airtable does not put a client out of service. Only numbers whose row was deleted or
 * unticked stop routing, and a kept config that would itself loop.
 */
export async function syncConfigTable(db: Database, settings: AirtableSettings): Promise<ConfigSyncReport> {
  const table = airtableBase(settings, SYNC_REQUEST_TIMEOUT_MS)(settings.configTable);
  const records = await listAllRecords(db, settings.baseId, table);
  const baseHasActiveColumn = records.some((record) => record.fields[CONFIG_FIELDS.active] === true) || (await hasActiveColumn(table));
  const { configs, refused, trackingNumbers } = readConfigRows(records, { baseHasActiveColumn, otherTrackingNumbers: await snapshotTrackingNumbers(db) });

  const routed = configs.filter((config) => config.active).map((config) => config.trackingNumber);
  const holding = refused.filter((row) => !row.unticked);
  const { held, stoppedRouting } = await db.transaction(async (tx) => {
    for (const config of configs) await saveTrackingNumberSnapshot(tx, config);
    const candidates = await tx.query<HeldNumber>(
      `select phone_number, airtable_record_id, primary_number, coalesce(sms_forward_number, primary_number) as sms_forward_number
         from public.tracking_numbers
        where active and not (phone_number = any($1::text[]))
          and (airtable_record_id = any($2::text[]) or phone_number = any($3::text[]))`,
      [routed, holding.map((row) => row.recordId), holding.flatMap((row) => row.trackingNumber ?? [])],
    );
    const held = candidates.filter(
      (row) => !findRoutingLoop({ trackingNumber: row.phone_number, primaryNumber: row.primary_number, smsForwardNumber: row.sms_forward_number }, trackingNumbers),
    );
    const stopped = await tx.query<{ phone_number: string }>(
      `update public.tracking_numbers set active = false, synced_at = now()
        where active and not (phone_number = any($1::text[]))
        returning phone_number`,
      [[...routed, ...held.map((row) => row.phone_number)]],
    );
    return { held, stoppedRouting: stopped.map((row) => row.phone_number) };
  });
  configCache.expire();
  forgetSiteConfigs();

  const skipped = refused.map((row) => ({
    recordId: row.recordId,
    row: `${row.client} (${row.number})`,
    error: row.error,
    routing: routingOf(row, held, routed),
  }));
  return { rows: records.length, synced: configs.length, skipped, stoppedRouting };
}

function routingOf(row: RefusedConfigRow, held: HeldNumber[], routed: string[]): string {
  const kept = held.find((number) => number.airtable_record_id === row.recordId || number.phone_number === row.trackingNumber);
  if (kept) return `the last good config keeps routing ${kept.phone_number}`;
  if (row.trackingNumber && routed.includes(row.trackingNumber)) return `${row.trackingNumber} routes by the other row that has it`;
  if (row.unticked) return "not routed: the row is unticked";
  return "not routed until the row is fixed";
}
