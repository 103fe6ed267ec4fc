import type { Queryable } from "../db/database";
import type { TrackingNumberConfig } from "../config/tracking-number-config";
import { enqueueLeadSync } from "../outbox/enqueue-lead-sync";
import { recordUsage } from "../usage/record-usage";
import type { MissedReason } from "./is-missed-call";
import { queueMissedCallText } from "./queue-missed-call-text";
import { recordInboundCall, type InboundCall } from "./record-inbound-call";

export type CallOutcome = {
  missed?: MissedReason;
  dialCallSid?: string;
  dialStatus?: string;
  dialDurationSeconds?: number;
  dialBridged?: boolean;
};

/**
 * Settles whether a call was answered or missed. The first signal to arrive (the Dial action or
 * the parent call ending) decides; later and repeated ones change nothing. Returns whether a
 * missed-call text was queued.
 */
export async function decideCallOutcome(tx: Queryable, config: TrackingNumberConfig, call: InboundCall, outcome: CallOutcome): Promise<boolean> {
  await recordInboundCall(tx, config, call);
  const [decided] = await tx.query<{ lead_id: string | null }>(
    `update public.calls
        set outcome = $2, missed_reason = $3, dial_call_sid = $4, dial_status = $5, dial_duration_seconds = $6, dial_bridged = $7
      where call_sid = $1 and outcome is null
      returning lead_id`,
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
  if (!decided) return false;
  if (outcome.dialCallSid && outcome.dialDurationSeconds) {
    await recordUsage(tx, config.clientId, "call_seconds", outcome.dialDurationSeconds, outcome.dialCallSid);
  }
  if (decided.lead_id) await enqueueLeadSync(tx, decided.lead_id, `${call.CallSid}:outcome`);
  return outcome.missed ? queueMissedCallText(tx, config, call) : false;
}
