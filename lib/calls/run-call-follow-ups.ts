import { getDatabase } from "../db/get-database";
import { settleDueCalls, type SettledCalls } from "./settle-due-calls";
import { sweepStuckTextBacks, type SweptTextBacks } from "./sweep-stuck-text-backs";

export type CallFollowUps = { dueCalls: SettledCalls; stuckTextBacks: SweptTextBacks };

/**
 * The scheduled floor under the call webhooks' after() work, for processes that did not live to
 * finish it: calls whose decision is due are settled and the missed ones texted, and text-backs
 * left pending or sending are sent or failed.
 */
export async function runCallFollowUps(): Promise<CallFollowUps> {
  const db = await getDatabase();
  const dueCalls = await settleDueCalls(db);
  return { dueCalls, stuckTextBacks: await sweepStuckTextBacks(db) };
}
