import type { Queryable } from "../db/database";
import type { TrackingNumberConfig } from "../config/tracking-number-config";
import { enqueueLeadSync } from "../outbox/enqueue-lead-sync";
import { callLegUsage, recordUsage } from "../usage/record-usage";
import type { MissedReason } from "./is-missed-call";
import { queueMissedCallText } from "./queue-missed-call-text";
import { recordInboundCall, type InboundCall } from "./record-inbound-call";

export const CALL_ANSWERED = "the call turned out to be answered";

export type CallOutcome = {
  missed?: MissedReason;
  dialCallSid?: string;
  dialStatus?: string;
  dialDurationSeconds?: number;
  dialBridged?: boolean;
};

/**
 * Records whether a call was answered or missed, and queues what follows from it: the billed
 * seconds of the forwarded leg, the lead's pipeline update and, for a missed call, the text-back.
 * Logs the call first if its own webhook's write has not landed yet (`receivedAt` then stands in
 * for when it began). A dial outcome decides a call with no outcome and replaces an "abandoned"
 * one, which is only ever a guess; "abandoned" decides only a call with no outcome. Repeated
 * callbacks change nothing. Returns whether a missed-call text was queued; the caller sends it.
 */
export async function recordCallOutcomeAndQueueFollowUps(
  tx: Queryable,
  config: TrackingNumberConfig,
  call: InboundCall,
  outcome: CallOutcome,
  receivedAt?: Date,
): Promise<boolean> {
  await recordInboundCall(tx, config, call, receivedAt);
  const [prior] = await tx.query<{ outcome: string | null; missed_reason: string | null }>(
    "select outcome, missed_reason from public.calls where call_sid = $1 for update",
    [call.CallSid],
  );
  const replacesGuess = outcome.missed !== "abandoned" && prior.outcome === "missed" && prior.missed_reason === "abandoned";
  if (prior.outcome !== null && !replacesGuess) return false;

  const [decided] = await tx.query<{ lead_id: string | null; started_at: Date }>(
    `update public.calls
        set outcome = $2, missed_reason = $3, dial_call_sid = $4, dial_status = $5, dial_duration_seconds = $6, dial_bridged = $7
      where call_sid = $1
      returning lead_id, started_at`,
    [
      call.CallSid,
      outcome.missed ? "missed" : "answered",
      outcome.missed ?? null,
      outcome.dialCallSid ?? null,
      outcome.dialStatus ?? null,
      outcome.dialDurationSeconds ?? null,
      outcome.dialBridged ?? null,
    ],
  );
  if (outcome.dialCallSid && outcome.dialDurationSeconds) {
    // Both legs of a call count in the month the call began.
    const { clientId, trackingNumber } = config;
    const leg = { clientId, direction: "outbound", callSid: outcome.dialCallSid, seconds: outcome.dialDurationSeconds, trackingNumber, occurredAt: decided.started_at } as const;
    await recordUsage(tx, callLegUsage(leg));
  }
  // The pipeline reads its counts when the job runs; a replaced guess needs a job of its own in
  // case the first one has already run.
  if (decided.lead_id) await enqueueLeadSync(tx, decided.lead_id, `${call.CallSid}:${replacesGuess ? "outcome-revised" : "outcome"}`);
  if (!outcome.missed) {
    // A text-back the guess queued and nobody has sent yet is never sent; it must not count as
    // the caller's one text for the day either.
    await tx.query("update internal.text_backs set status = 'canceled', error_message = $2, updated_at = now() where call_sid = $1 and status = 'pending'", [
      call.CallSid,
      CALL_ANSWERED,
    ]);
    return false;
  }
  return queueMissedCallText(tx, config, call);
}
