import type { Database, Queryable } from "../db/database";
import { readTrackingNumberSnapshot } from "../config/tracking-number-snapshot";
import { enqueueLeadSync } from "../outbox/enqueue-lead-sync";
import { queueMissedCallText } from "./queue-missed-call-text";
import { sendMissedCallText } from "./send-missed-call-text";

/**
 * How long a call that ended with no dial outcome waits before it is closed as abandoned. The
 * <Dial> action and the parent call's status callback arrive almost together, in either order;
 * this leaves the dial outcome time to land first, even behind a slow write.
 */
export const ABANDONED_DECISION_DELAY_SECONDS = 5;

// Enough for a minute's backlog after an outage; the rest waits for the next run.
const MAX_CALLS_PER_RUN = 200;

export type SettledCalls = { abandoned: number; textsQueued: number };

/**
 * Closes the calls whose abandoned decision is due and that still have no outcome as missed
 * ("abandoned"), queues their pipeline update and text-back under the usual guards, then sends
 * the texts. Each call is decided in its own transaction, under its row lock, so a dial outcome
 * landing at the same moment or a second run at the same time never decides it twice.
 */
export async function settleDueCalls(db: Database): Promise<SettledCalls> {
  const due = await db.query<{ call_sid: string }>(
    `select call_sid from public.calls
      where outcome is null and outcome_due_at <= now()
      order by outcome_due_at
      limit $1`,
    [MAX_CALLS_PER_RUN],
  );
  const settled: SettledCalls = { abandoned: 0, textsQueued: 0 };
  const texts: string[] = [];
  for (const { call_sid: callSid } of due) {
    const decision = await db.transaction((tx) => closeAsAbandoned(tx, callSid));
    if (decision === "unchanged") continue;
    settled.abandoned += 1;
    if (decision === "text queued") texts.push(callSid);
  }
  settled.textsQueued = texts.length;
  const sent = await Promise.allSettled(texts.map((callSid) => sendMissedCallText(callSid)));
  for (const result of sent) if (result.status === "rejected") console.error("sending a missed-call text failed:", result.reason);
  return settled;
}

async function closeAsAbandoned(tx: Queryable, callSid: string): Promise<"unchanged" | "closed" | "text queued"> {
  const [call] = await tx.query<{ lead_id: string | null; caller: string; tracking_number: string }>(
    `update public.calls set outcome = 'missed', missed_reason = 'abandoned'
      where call_sid = $1 and outcome is null and outcome_due_at <= now()
      returning lead_id, caller, tracking_number`,
    [callSid],
  );
  if (!call) return "unchanged";
  if (call.lead_id) await enqueueLeadSync(tx, call.lead_id, `${callSid}:outcome`);
  const config = await readTrackingNumberSnapshot(tx, call.tracking_number);
  const queued = config ? await queueMissedCallText(tx, config, { CallSid: callSid, From: call.caller }) : false;
  return queued ? "text queued" : "closed";
}
