import { getDatabase } from "../db/get-database";
import { dropStalePushAlerts } from "../push/drop-stale-push-alerts";
import { notifyNewLeads, type NewLeadPushes } from "../push/notify-new-leads";
import { dropOldRateLimits } from "../tracking/drop-old-rate-limits";
import { settleDueCalls, type SettledCalls } from "./settle-due-calls";
import { sweepStuckTextBacks, type SweptTextBacks } from "./sweep-stuck-text-backs";

export type CallFollowUps = {
  newLeadPushes: NewLeadPushes;
  stalePushAlerts: number;
  dueCalls: SettledCalls;
  stuckTextBacks: SweptTextBacks;
  oldRateLimitWindows: number;
};

/**
 * The scheduled floor under the call and text webhooks' after() work, for processes that did not
 * live to finish it: new leads not yet pushed are pushed (first, as the most urgent) and alerts
 * older than an hour dropped, push on or off; calls whose decision is due are settled and the
 * missed ones texted, and text-backs left pending or sending are sent or failed. The tracking
 * endpoints' rate-limit windows that have ended are deleted.
 */
export async function runCallFollowUps(): Promise<CallFollowUps> {
  const db = await getDatabase();
  const newLeadPushes = await notifyNewLeads();
  const stalePushAlerts = await dropStalePushAlerts(db);
  const dueCalls = await settleDueCalls(db);
  const stuckTextBacks = await sweepStuckTextBacks(db);
  return { newLeadPushes, stalePushAlerts, dueCalls, stuckTextBacks, oldRateLimitWindows: await dropOldRateLimits(db) };
}
