import { getDatabase } from "../db/get-database";
import { serverEnv } from "../env";
import { deliverDueJobs, type DeliveryRound } from "./deliver-due-jobs";

type Drainer = { running: boolean; wokenAgain: boolean; catchUp?: NodeJS.Timeout };
const holder = globalThis as typeof globalThis & { __leadlineDrainer?: Drainer };
const drainer = (holder.__leadlineDrainer ??= { running: false, wokenAgain: false });

// A speed-up for a server that stays up: jobs handed back to a paused base are looked at again when
// the pause ends, instead of at the next webhook or cron run. Nothing rests on it: a serverless
// instance may be frozen or gone before the timer fires, and the cron (every minute) is the floor.
// Later than this, the cron comes first anyway.
const CATCH_UP_WITHIN_MS = 120_000;

export type DrainSummary = Omit<DeliveryRound, "claimed"> & { rounds: number };

const emptySummary = (): DrainSummary => ({ rounds: 0, delivered: 0, failed: 0, postponed: 0, requests: 0 });

/**
 * Delivers due outbox jobs round after round until none is due or the time is up. Any number of
 * these may run at once, in one process or many: lead claims keep each lead with one of them.
 * Without Airtable configured the jobs wait, to be delivered once it is.
 */
export async function drainOutbox(options: { maxMs: number }): Promise<DrainSummary> {
  const summary = emptySummary();
  const settings = serverEnv().airtable;
  if (!settings) return summary;
  const db = await getDatabase();
  const stopAt = Date.now() + options.maxMs;
  while (Date.now() < stopAt) {
    const round = await deliverDueJobs(db, settings, stopAt);
    if (round.claimed === 0) break;
    addUp(summary, { ...round, rounds: 1 });
    // Everything handed back (a paused base, or no time for another request): nothing more to do now.
    if (round.delivered + round.failed === 0) break;
  }
  return summary;
}

/**
 * Called after every webhook answer, to deliver at once rather than at the next cron run. A
 * speed-up only: the process's flag makes a burst of webhooks wake one drainer here, and a wake
 * that arrives while it runs makes it look again before it stops. Other instances, and this
 * process's cron run, drain beside it.
 */
export async function wakeOutboxDrainer(): Promise<void> {
  drainer.wokenAgain = true;
  if (drainer.running) return;
  drainer.running = true;
  const total = emptySummary();
  try {
    do {
      drainer.wokenAgain = false;
      addUp(total, await drainOutbox({ maxMs: 20_000 }));
    } while (drainer.wokenAgain);
  } finally {
    drainer.running = false;
  }
  if (total.postponed > 0) await scheduleCatchUp();
}

/**
 * The cron's drain, every minute: the floor under every due job, whatever became of wake-ups and
 * timers. It drains even while a drainer already runs in this process, as every instance's cron run
 * may: lead claims keep each lead with one drainer at a time.
 */
export async function drainOutboxOnSchedule(maxMs: number): Promise<DrainSummary> {
  const summary = await drainOutbox({ maxMs });
  if (summary.postponed > 0) await scheduleCatchUp();
  return summary;
}

function addUp(total: DrainSummary, more: DrainSummary): void {
  for (const key of Object.keys(total) as (keyof DrainSummary)[]) total[key] += more[key];
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
