import { getDatabase } from "../db/get-database";
import { serverEnv } from "../env";
import { pullPipelineStatuses, type StatusPullReport } from "../leads/pull-pipeline-statuses";
import { syncConfigTable, type ConfigSyncReport } from "./sync-config-table";

export type AirtableSyncReport =
  | { config: ConfigSyncReport; statuses: StatusPullReport | { failed: string } }
  | { skipped: "Airtable is not configured" };

/**
 * The scheduled sync for this deployment's Airtable: the Client Configuration table into the
 * routing snapshot, and statuses staff changed in the Lead Pipeline into the app. The two stand
 * apart: a pipeline without its Status Modified field must not stop calls being routed. Without
 * Airtable the snapshot is the source and stays as it is.
 */
export async function syncFromAirtable(): Promise<AirtableSyncReport> {
  const settings = serverEnv().airtable;
  if (!settings) return { skipped: "Airtable is not configured" };
  const db = await getDatabase();
  const config = await syncConfigTable(db, settings);
  const statuses = await pullPipelineStatuses(db, settings).catch((error: { message?: string }) => ({
    failed: `${error.message ?? String(error)} (npm run airtable:check says what the Lead Pipeline lacks)`,
  }));
  return { config, statuses };
}
