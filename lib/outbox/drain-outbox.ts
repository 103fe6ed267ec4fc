import { getDatabase } from "../db/get-database";
import { serverEnv } from "../env";
import { deliverDueJobs, type DeliveryRound } from "./deliver-due-jobs";

type Drainer = { running: boolean; wokenAgain: boolean; catchUp?: NodeJS.Timeout };
const holder = globalThis as typeof globalThis & { __leadlineDrainer?: Drainer };
const drainer = (holder.__leadlineDrainer ??= { running: false, wokenAgain: false });

// Jobs handed back to a paused base are looked at again when the pause ends, so a quiet server
// catches up without waiting for the next webhook or cron run. Later than this, the cron (every
// minute) comes first anyway.
const CATCH_UP_WITHIN_MS = 120_000;

export type DrainSummary = Omit<DeliveryRound, "claimed"> & { rounds: number };

/**
 * Delivers due outbox jobs round after round until none is due or the time is up. Without
 * Airtable configured the jobs wait, to be delivered once it is.
 */
export async function drainOutbox(options: { maxMs: number }): Promise<DrainSummary> {
  const summary: DrainSummary = { rounds: 0, delivered: 0, failed: 0, postponed: 0, requests: 0 };
  const settings = serverEnv().airtable;
  if (!settings) return summary;
  const db = await getDatabase();
  const stopAt = Date.now() + options.maxMs;
  while (Date.now() < stopAt) {
    const round = await deliverDueJobs(db, settings, stopAt);
    if (round.claimed === 0) break;
    summary.rounds += 1;
    summary.delivered += round.delivered;
    summary.failed += round.failed;
    summary.postponed += round.postponed;
    summary.requests += round.requests;
    // Everything handed back (a paused base, or no time for another request): nothing more to do now.
    if (round.delivered + round.failed === 0) break;
  }
  return summary;
}

/**
 * Called after every webhook answer. One drainer runs per process, so a burst of webhooks wakes it
 * once; a wake that arrives while it runs makes it look again before it stops, so no job enqueued
 * meanwhile waits for the next cron run.
 */
export async function wakeOutboxDrainer(): Promise<void> {
  drainer.wokenAgain = true;
  if (drainer.running) return;
  await drainExclusively(20_000);
}

/** The cron's drain: the same one-per-process drainer, so it never runs beside the after() one. */
export async function drainOutboxOnSchedule(maxMs: number): Promise<DrainSummary | { alreadyDraining: true }> {
  if (drainer.running) {
    drainer.wokenAgain = true;
    return { alreadyDraining: true };
  }
  return drainExclusively(maxMs);
}

async function drainExclusively(maxMs: number): Promise<DrainSummary> {
  drainer.running = true;
  const total: DrainSummary = { rounds: 0, delivered: 0, failed: 0, postponed: 0, requests: 0 };
  try {
    do {
      drainer.wokenAgain = false;
      const summary = await drainOutbox({ maxMs });
      for (const key of Object.keys(total) as (keyof DrainSummary)[]) total[key] += summary[key];
    } while (drainer.wokenAgain);
  } finally {
    drainer.running = false;
  }
  if (total.postponed > 0) await scheduleCatchUp();
  return total;
}

async function scheduleCatchUp(): Promise<void> {
  const db = await getDatabase();
  const [next] = await db.query<{ in_ms: number | null }>(
    "select (extract(epoch from min(run_after) - now()) * 1000)::int as in_ms from internal.outbox where status = 'pending'",
  );
  if (next?.in_ms == null || next.in_ms > CATCH_UP_WITHIN_MS) return;
  clearTimeout(drainer.catchUp);
  drainer.catchUp = setTimeout(() => void wakeOutboxDrainer().catch((error) => console.error("outbox catch-up failed:", error)), Math.max(0, next.in_ms) + 50);
  drainer.catchUp.unref();
}
