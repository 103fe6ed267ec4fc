import { fetchConfigRow } from "../airtable/fetch-config-row";
import { getDatabase } from "../db/get-database";
import { serverEnv } from "../env";
import { configCache } from "./config-cache";
import { readTrackingNumberSnapshot, saveTrackingNumberSnapshot } from "./tracking-number-snapshot";
import type { TrackingNumberConfig } from "./tracking-number-config";

// The whole lookup, database and Airtable together, so even a cold instance facing a hung
// database answers Twilio in about 2 s.
const LOOKUP_BUDGET_MS = 2000;
const MIN_AIRTABLE_TIMEOUT_MS = 500;

/**
 * The routing config for a tracking number: memory, then the Postgres snapshot, and only for a
 * number in neither, one Airtable read within what is left of a 2 s budget. When the database or Airtable fails, the
 * last config memory saw is used, however old. Returns undefined for an unknown or inactive number.
 */
export async function lookupTrackingNumber(trackingNumber: string): Promise<TrackingNumberConfig | undefined> {
  const cached = configCache.get(trackingNumber);
  if (cached?.fresh) return routable(cached.config);
  const stale = cached?.config;
  const started = Date.now();

  let databaseWorks = true;
  try {
    const snapshot = await readTrackingNumberSnapshot(await getDatabase(), trackingNumber);
    if (snapshot) {
      configCache.set(snapshot);
      return routable(snapshot);
    }
  } catch (error) {
    databaseWorks = false;
    if (stale) return routable(stale);
    console.warn(`config snapshot unavailable for ${trackingNumber}: ${(error as Error).message}`);
  }

  const airtable = serverEnv().airtable;
  if (!airtable) return stale && routable(stale);
  let fetched: TrackingNumberConfig | undefined;
  try {
    const remaining = LOOKUP_BUDGET_MS - (Date.now() - started);
    fetched = await fetchConfigRow(airtable, trackingNumber, Math.max(MIN_AIRTABLE_TIMEOUT_MS, remaining));
  } catch (error) {
    console.warn(`Airtable read-through failed for ${trackingNumber}: ${describe(error)}`);
    return stale && routable(stale);
  }
  if (!fetched) return undefined;
  configCache.set(fetched);
  if (databaseWorks) {
    await (await getDatabase()).transaction((tx) => saveTrackingNumberSnapshot(tx, fetched)).catch((error: Error) =>
      console.warn(`could not save the config snapshot for ${trackingNumber}: ${error.message}`),
    );
  }
  return routable(fetched);
}

function routable(config: TrackingNumberConfig): TrackingNumberConfig | undefined {
  return config.active ? config : undefined;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  const { error: type, message } = (error ?? {}) as { error?: string; message?: string };
  return [type, message].filter(Boolean).join(": ") || String(error);
}
