import type { Database } from "../db/database";
import { getDatabase } from "../db/get-database";
import { serverEnv } from "../env";
import { waitForPaceSlot } from "../airtable/airtable-pace";
import { configCache } from "./config-cache";
import { fetchConfigRow } from "./fetch-config-row";
import { findRoutingLoop } from "./read-config-rows";
import { readTrackingNumberSnapshot, saveTrackingNumberSnapshot, snapshotTrackingNumbers } from "./tracking-number-snapshot";
import type { TrackingNumberConfig } from "./tracking-number-config";

// The whole lookup, database and Airtable together, so even a cold instance facing a hung
// database answers Twilio in about 2 s.
const LOOKUP_BUDGET_MS = 2000;
const MIN_AIRTABLE_TIMEOUT_MS = 500;
// A read-through waits up to half the budget for its slot on the base's pace. A longer wait means
// the base is paused (rate limited or down), where asking would only earn another refusal, or
// that more new numbers are being called at once than Airtable would answer anyway.
const MAX_SLOT_WAIT_MS = 1000;

type Lookup = Promise<TrackingNumberConfig | undefined>;
// The lookups in flight in this process, by number: the webhooks of calls arriving together share
// one, so a cold instance asks the database, and Airtable, once per number rather than per webhook.
const holder = globalThis as typeof globalThis & { __leadlineLookups?: Map<string, Lookup> };
const inFlight = (holder.__leadlineLookups ??= new Map());

/**
 * The routing config for a tracking number: memory, then the Postgres snapshot, and only for a
 * number that is in neither or inactive there (a row may have been added back since the last sync),
 * one Airtable read within what is left of a 2 s budget. That read takes a slot on the base's
 * shared pace, so calls to new numbers and the outbox together stay under Airtable's limit; only a
 * database that cannot be asked for a slot lets a number memory lacks be read without one. When
 * the database or Airtable fails, the last config memory saw is used, however old. Returns
 * undefined for an unknown or inactive number, and for a row read through that would forward to a
 * tracking number. Lookups of one number at the same moment share one.
 */
export function lookupTrackingNumber(trackingNumber: string): Lookup {
  const cached = configCache.get(trackingNumber);
  if (cached?.fresh) return Promise.resolve(routable(cached.config));
  let lookup = inFlight.get(trackingNumber);
  if (!lookup) {
    lookup = lookUp(trackingNumber, cached?.config).finally(() => inFlight.delete(trackingNumber));
    inFlight.set(trackingNumber, lookup);
  }
  return lookup;
}

/** `remembered`: the config memory holds, however old. */
async function lookUp(trackingNumber: string, remembered: TrackingNumberConfig | undefined): Lookup {
  // What routes the call if Airtable cannot be asked: the snapshot's word, else memory's.
  let fallback = remembered;
  const started = Date.now();

  let db: Database | undefined;
  try {
    db = await getDatabase();
    // With nothing in memory the snapshot is the only word short of Airtable, worth the database's
    // deadline even while another request's failure has it marked down.
    const snapshot = await readTrackingNumberSnapshot(remembered ? db : { query: db.queryPastCoolDown }, trackingNumber);
    if (snapshot) {
      configCache.set(snapshot);
      if (snapshot.active) return snapshot;
      fallback = snapshot;
    }
  } catch (error) {
    db = undefined;
    if (fallback) return routable(fallback);
    console.warn(`config snapshot unavailable for ${trackingNumber}: ${(error as Error).message}`);
  }

  const airtable = serverEnv().airtable;
  if (!airtable) return fallback && routable(fallback);
  let fetched: TrackingNumberConfig | undefined;
  try {
    if (db && !(await waitForPaceSlot(db, airtable.baseId, { maxWaitMs: MAX_SLOT_WAIT_MS })).granted) return fallback && routable(fallback);
    const remaining = LOOKUP_BUDGET_MS - (Date.now() - started);
    fetched = await fetchConfigRow(airtable, trackingNumber, Math.max(MIN_AIRTABLE_TIMEOUT_MS, remaining));
  } catch (error) {
    console.warn(`Airtable read-through failed for ${trackingNumber}: ${describe(error)}`);
    return fallback && routable(fallback);
  }
  if (!fetched || (await loops(db, fetched))) return undefined;
  configCache.set(fetched);
  if (db) {
    await db
      .transaction((tx) => saveTrackingNumberSnapshot(tx, fetched))
      .catch((error: Error) => console.warn(`could not save the config snapshot for ${trackingNumber}: ${error.message}`));
  }
  return routable(fetched);
}

/**
 * A row that forwards to its own tracking number or to one in the snapshot would dial or relay back
 * into Leadline. A number that is only on another row of the table is not asked about (a second
 * Airtable read): this row is in the snapshot before its call is forwarded, so a loop through that
 * other row stops at the other row's own read-through, and the next sync refuses this one.
 */
async function loops(db: Database | undefined, config: TrackingNumberConfig): Promise<boolean> {
  const known = db ? await snapshotTrackingNumbers(db, [config.primaryNumber, config.smsForwardNumber]).catch(() => []) : [];
  const loop = findRoutingLoop(config, new Set(known));
  if (loop) console.warn(`not routing ${config.trackingNumber}: ${loop}`);
  return loop !== undefined;
}

function routable(config: TrackingNumberConfig): TrackingNumberConfig | undefined {
  return config.active ? config : undefined;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  const { error: type, message } = (error ?? {}) as { error?: string; message?: string };
  return [type, message].filter(Boolean).join(": ") || String(error);
}
