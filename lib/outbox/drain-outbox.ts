import { getDatabase } from "../db/get-database";
import { serverEnv } from "../env";
import { deliverDueJobs, type DeliveryRound } from "./deliver-due-jobs";

const holder = globalThis as typeof globalThis & { __leadlineDrainer?: { running: boolean; wokenAgain: boolean } };
const drainer = (holder.__leadlineDrainer ??= { running: false, wokenAgain: false });

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
    const round = await deliverDueJobs(db, settings);
    if (round.claimed === 0) break;
    summary.rounds += 1;
    summary.delivered += round.delivered;
    summary.failed += round.failed;
    summary.postponed += round.postponed;
    summary.requests += round.requests;
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
  drainer.running = true;
  try {
    while (drainer.wokenAgain) {
      drainer.wokenAgain = false;
      await drainOutbox({ maxMs: 20_000 });
    }
  } finally {
    drainer.running = false;
  }
}
