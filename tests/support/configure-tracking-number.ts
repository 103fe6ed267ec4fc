import { baseSchema } from "@/lib/airtable/base-schema";
import { CONFIG_FIELDS as C } from "@/lib/airtable/config-fields";
import type { TrackingNumberConfig } from "@/lib/config/tracking-number-config";
import { saveTrackingNumberSnapshot } from "@/lib/config/tracking-number-snapshot";
import type { Database } from "@/lib/db/database";
import type { AirtableApiStandIn } from "./stand-ins/airtable-api";

export const CLIENT_CONFIGURATION_TABLE = "Client Configuration";

/** The Client Configuration table exactly as `npm run airtable:setup` creates it. */
export const CLIENT_CONFIGURATION_FIELDS = baseSchema({ configTable: CLIENT_CONFIGURATION_TABLE, leadsTable: "Lead Pipeline" }).find(
  (table) => table.name === CLIENT_CONFIGURATION_TABLE,
)!.fields;

/**
 * A tracking number set up as agency staff would: its row in the stand-in's Client Configuration
 * table (unticked boxes left out, as Airtable does), and the routing snapshot a sync makes of it.
 */
export async function configureTrackingNumber(db: Database, airtable: AirtableApiStandIn, config: TrackingNumberConfig): Promise<void> {
  await db.transaction((tx) => saveTrackingNumberSnapshot(tx, config));
  addConfigRow(airtable, config);
}

/** The tracking number's row in the stand-in's Client Configuration table, as staff type it (unticked boxes left out). */
export function addConfigRow(airtable: AirtableApiStandIn, config: TrackingNumberConfig): void {
  const ticked = (on: boolean) => (on ? true : undefined);
  airtable.addRow(CLIENT_CONFIGURATION_TABLE, {
    [C.trackingNumber]: config.trackingNumber,
    [C.clientId]: config.clientId,
    [C.clientName]: config.clientName,
    [C.primaryNumber]: config.primaryNumber,
    [C.smsForwardNumber]: config.smsForwardNumber,
    [C.textBackEnabled]: ticked(config.textBackEnabled),
    [C.textBackMessage]: config.textBackMessage,
    [C.source]: config.source,
    [C.ringTimeout]: config.ringTimeoutSeconds,
    [C.missedCallMaxSeconds]: config.missedCallMaxSeconds,
    [C.active]: ticked(config.active),
    [C.voicemailOff]: ticked(!config.voicemailEnabled),
  });
}
