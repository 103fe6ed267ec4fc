import { getDatabase } from "../db/get-database";
import { serverEnv } from "../env";
import { pullPipelineStatuses, type StatusPullReport } from "../leads/pull-pipeline-statuses";
import { syncConfigTable, type ConfigSyncReport } from "./sync-config-table";

export type AirtableSyncReport = { config: ConfigSyncReport; statuses: StatusPullReport } | { skipped: "Airtable is not configured" };

/**
 * The scheduled sync for this deployment's Airtable: the Client Configuration table into the
 * routing snapshot, and statuses staff changed in the Lead Pipeline into the app. Without Airtable
 * the snapshot is the source and stays as it is.
 */
export async function syncFromAirtable(): Promise<AirtableSyncReport> {
  const settings = serverEnv().airtable;
  if (!settings) return { skipped: "Airtable is not configured" };
  const db = await getDatabase();
  return { config: await syncConfigTable(db, settings), statuses: await pullPipelineStatuses(db, settings) };
}
