import { randomInt } from "node:crypto";
import { getDatabase } from "@/lib/db/get-database";
import { saveTrackingNumberSnapshot } from "@/lib/config/tracking-number-snapshot";
import type { TrackingNumberConfig } from "@/lib/config/tracking-number-config";

/** A fresh NANP number, so tests sharing a database never share a caller or a tracking number. */
export const phoneNumber = (areaCode = "737") => `+1${areaCode}${String(randomInt(2_000_000, 9_999_999))}`;

/** Puts a tracking number in the config snapshot, as a sync from Airtable would. */
export async function addTrackingNumber(overrides: Partial<TrackingNumberConfig> = {}): Promise<TrackingNumberConfig> {
  const config: TrackingNumberConfig = {
    trackingNumber: phoneNumber("512"),
    clientId: "test-client",
    clientName: "Test Client Co",
    primaryNumber: phoneNumber("214"),
    smsForwardNumber: phoneNumber("214"),
    textBackEnabled: true,
    textBackMessage: "Sorry we missed you! Text us here.",
    numberType: "Source",
    source: "Google Ads",
    ringTimeoutSeconds: 20,
    missedCallMaxSeconds: 15,
    voicemailEnabled: true,
    showTrackingNumber: false,
    active: true,
    ...overrides,
  };
  const db = await getDatabase();
  await db.transaction((tx) => saveTrackingNumberSnapshot(tx, config));
  return config;
}
