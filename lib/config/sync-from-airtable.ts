import type { Database } from "../db/database";
import { getDatabase } from "../db/get-database";
import { serverEnv } from "../env";
import { AIRTABLE_WEBHOOK_PATH } from "../airtable/refresh-airtable-webhooks";
import { claimScheduledSync, finishScheduledSync, recordPingSync, type SyncPart } from "../airtable/scheduled-sync-turn";
import { pipelineBaseIds, pullPipelineStatuses, type StatusPullReport } from "../leads/pull-pipeline-statuses";
import { syncConfigTable, type ConfigSyncReport } from "./sync-config-table";

/** A part left alone on this run, and why. */
export type NotDue = { notDue: string };
export type StatusesReport = StatusPullReport & { notDue: number; failed: string[] };
export type AirtableSyncReport = { config: ConfigSyncReport | NotDue; statuses: StatusesReport } | { skipped: "Airtable is not configured" };

/**
 * The scheduled sync for this deployment's Airtable: the Client Configuration table into the
 * routing snapshot, and statuses staff changed in each Lead Pipeline into the app, each part when
 * its turn is due (every run without a live webhook on it, else hourly). The parts stand apart: a
 * pipeline without its Status Modified field must not stop calls being routed. Without Airtable the
 * snapshot is the source and stays as it is.
 */
export async function syncFromAirtable(): Promise<AirtableSyncReport> {
  const env = serverEnv();
  const settings = env.airtable;
  if (!settings) return { skipped: "Airtable is not configured" };
  const db = await getDatabase();
  const notificationUrl = env.publicBaseUrl + AIRTABLE_WEBHOOK_PATH;
  const config = await onItsTurn(db, settings.baseId, "config", notificationUrl, () => syncConfigTable(db, settings));
  const statuses: StatusesReport = { bases: 0, rows: 0, applied: 0, keptNewer: 0, ignored: 0, notDue: 0, failed: [] };
  for (const baseId of await pipelineBaseIds(db, settings)) {
    try {
      const pulled = await onItsTurn(db, baseId, "statuses", notificationUrl, () => pullPipelineStatuses(db, settings, [baseId]));
      if ("notDue" in pulled) statuses.notDue += 1;
      else for (const key of ["bases", "rows", "applied", "keptNewer", "ignored"] as const) statuses[key] += pulled[key];
    } catch (error) {
      statuses.failed.push(`${baseId}: ${(error as { message?: string }).message ?? String(error)} (npm run airtable:check says what the Lead Pipeline lacks)`);
    }
  }
  return { config, statuses };
}

/** After a verified ping: the part its webhook watches, synced in full at once; the hour starts again. */
export async function syncAfterAirtablePing(hook: { baseId: string; watches: SyncPart }): Promise<void> {
  const settings = serverEnv().airtable;
  if (!settings) return;
  const db = await getDatabase();
  if (hook.watches === "config") await syncConfigTable(db, settings);
  else await pullPipelineStatuses(db, settings, [hook.baseId]);
  await recordPingSync(db, hook.baseId, hook.watches);
}

async function onItsTurn<T>(db: Database, baseId: string, part: SyncPart, notificationUrl: string, sync: () => Promise<T>): Promise<T | NotDue> {
  const turn = await claimScheduledSync(db, baseId, part, notificationUrl);
  if (!turn.due) return { notDue: turn.reason };
  try {
    const result = await sync();
    await finishScheduledSync(db, baseId, part, "synced");
    return result;
  } catch (error) {
    await finishScheduledSync(db, baseId, part, "failed");
    throw error;
  }
}
