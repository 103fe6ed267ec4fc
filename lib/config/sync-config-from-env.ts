import { getDatabase } from "../db/get-database";
import { serverEnv } from "../env";
import { syncConfigTable, type ConfigSyncReport } from "./sync-config-table";

/** The sync for this deployment's base; without Airtable the snapshot is the source and stays as it is. */
export async function syncConfigFromEnv(): Promise<ConfigSyncReport | { skipped: "Airtable is not configured" }> {
  const settings = serverEnv().airtable;
  if (!settings) return { skipped: "Airtable is not configured" };
  return syncConfigTable(await getDatabase(), settings);
}
