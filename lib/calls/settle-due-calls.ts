import type { Database } from "../db/database";
import { readTrackingNumberSnapshot } from "../config/tracking-number-snapshot";
import type { TrackingNumberConfig } from "../config/tracking-number-config";
import { readDialedLeg } from "../twilio/read-dialed-leg";
import { outcomeOfDialedLeg } from "./outcome-of-dialed-leg";
import { recordCallOutcomeAndQueueFollowUps, type CallOutcome } from "./record-call-outcome-and-queue-follow-ups";
import { sendMissedCallText } from "./send-missed-call-text";

/**
 * How long a call that ended with no dial outcome waits before it is settled. The <Dial> action and
 * the parent call's status callback arrive almost together, in either order; this leaves the dial
 * outcome time to land first, even behind a slow write.
 */
export const ABANDONED_DECISION_DELAY_SECONDS = 5;
// While Twilio cannot say how the forwarded leg went, the decision waits this much longer...
const ASK_AGAIN_SECONDS = 30;
// ...up to this long after the call ended; past that, a call with no known outcome counts as missed.
const GIVE_UP_ASKING_SECONDS = 10 * 60;
// A minute's backlog after an outage, each with one request to Twilio, fits in a cron run.
const MAX_CALLS_PER_RUN = 100;

export type SettledCalls = { answered: number; missed: number; waiting: number; textsQueued: number };

type DueCall = { call_sid: string; caller: string; tracking_number: string; client_id: string | null; asked_long_enough: boolean };

/**
 * Settles the calls that ended with no dial outcome and whose decision is due (all of them, or only
 * `onlyCallSid`: a webhook settles its own call, the scheduled run the rest). Whether the business
 * answered is read from Twilio's log of the forwarded leg, so an answered call whose <Dial> action
 * was lost (its write failed, its process died) is recorded answered and never texted; a call with
 * no leg is one the caller hung up on while it rang: missed, "abandoned". While Twilio cannot say,
 * the decision waits. Each call is decided in its own transaction under its row lock, so a dial
 * outcome landing at the same moment, or a second run, never decides it twice.
 */
export async function settleDueCalls(db: Database, options: { onlyCallSid?: string } = {}): Promise<SettledCalls> {
  const due = await db.query<DueCall>(
    `select call_sid, caller, tracking_number, client_id,
            coalesce(ended_at, started_at) < now() - $2 * interval '1 second' as asked_long_enough
       from public.calls
      where outcome is null and outcome_due_at <= now() and ($3::text is null or call_sid = $3)
      order by outcome_due_at
      limit $1`,
    [MAX_CALLS_PER_RUN, GIVE_UP_ASKING_SECONDS, options.onlyCallSid ?? null],
  );
  const settled: SettledCalls = { answered: 0, missed: 0, waiting: 0, textsQueued: 0 };
  const texts: string[] = [];
  for (const call of due) {
    const config = await followUpConfig(db, call);
    if (!config) {
      await db.query("update public.calls set outcome_due_at = null where call_sid = $1 and outcome is null", [call.call_sid]);
      continue;
    }
    const outcome = await outcomeFromTwilio(call, config);
    if (!outcome) {
      await db.query("update public.calls set outcome_due_at = now() + $2 * interval '1 second' where call_sid = $1 and outcome is null", [
        call.call_sid,
        ASK_AGAIN_SECONDS,
      ]);
      settled.waiting += 1;
      continue;
    }
    const textQueued = await db.transaction((tx) =>
      recordCallOutcomeAndQueueFollowUps(tx, config, { CallSid: call.call_sid, From: call.caller, To: call.tracking_number }, outcome),
    );
    settled[outcome.missed ? "missed" : "answered"] += 1;
    if (textQueued) texts.push(call.call_sid);
  }
  settled.textsQueued = texts.length;
  const sent = await Promise.allSettled(texts.map((callSid) => sendMissedCallText(callSid)));
  for (const result of sent) if (result.status === "rejected") console.error("sending a missed-call text failed:", result.reason);
  return settled;
}

/**
 * The config a call's follow-ups go by: its number's, but with no text-back when the number no
 * longer routes or now belongs to another client, whose message and guards are not this caller's.
 */
async function followUpConfig(db: Database, call: DueCall): Promise<TrackingNumberConfig | undefined> {
  const config = await readTrackingNumberSnapshot(db, call.tracking_number);
  if (!config) {
    console.warn(`call ${call.call_sid} is left without an outcome: its tracking number is no longer in the snapshot`);
    return undefined;
  }
  if (config.active && config.clientId === call.client_id) return config;
  return { ...config, clientId: call.client_id ?? config.clientId, textBackEnabled: false };
}

async function outcomeFromTwilio(call: DueCall, config: TrackingNumberConfig): Promise<CallOutcome | undefined> {
  const leg = await readDialedLeg(call.call_sid);
  if (leg.found === "unknown") {
    if (call.asked_long_enough) return { missed: "abandoned" };
    console.warn(`settling call ${call.call_sid} waits: ${leg.why}`);
    return undefined;
  }
  return outcomeOfDialedLeg(leg.found === "none" ? undefined : leg.found, config.missedCallMaxSeconds);
}
