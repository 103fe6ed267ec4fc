import type { Queryable } from "../db/database";
import type { TrackingNumberConfig } from "../config/tracking-number-config";
import { outcomeOfDialedLeg } from "../calls/outcome-of-dialed-leg";
import { recordCallOutcomeAndQueueFollowUps } from "../calls/record-call-outcome-and-queue-follow-ups";
import { callLegUsage, recordUsage } from "../usage/record-usage";
import { lockForReconciliation } from "./lock-for-reconciliation";
import type { LoggedCall } from "./list-twilio-logs";

// A missed-call text is a prompt answer to a call; found later than this, it would only puzzle.
export const TEXT_BACK_WITHIN_MS = 30 * 60_000;

export type EndedCall = LoggedCall & { startTime: Date; endTime: Date };
export type CallBackfill = { backfilled: boolean; settled: boolean; textQueued: boolean; tooLateToText: boolean };

const UNCHANGED: CallBackfill = { backfilled: false, settled: false, textQueued: false, tooLateToText: false };

/**
 * Closes what the webhooks left open for one ended call. Logs it with its lead and pipeline job
 * when Postgres lacks it, dated by Twilio's times; when no outcome was written, or only the
 * "abandoned" guess while Twilio's log holds the forwarded leg, settles it from that leg as the
 * <Dial> action would have. Any other call is left alone.
 */
export async function backfillCall(
  tx: Queryable,
  config: TrackingNumberConfig,
  parent: EndedCall,
  dialed: LoggedCall | undefined,
  now: Date,
): Promise<CallBackfill> {
  await lockForReconciliation(tx, parent.sid);
  const [logged] = await tx.query<{ outcome: string | null; missed_reason: string | null }>(
    "select outcome, missed_reason from public.calls where call_sid = $1 for update",
    [parent.sid],
  );
  if (logged && !awaitsOutcome(logged, dialed)) return UNCHANGED;

  const outcome = outcomeOfDialedLeg(dialed, config.missedCallMaxSeconds);
  const tooLateToText = Boolean(outcome.missed) && now.getTime() - parent.endTime.getTime() >= TEXT_BACK_WITHIN_MS;
  // The one place reconciliation decides a call. Too late for a text, it decides as for a client
  // with text-back off; every other guard stays where the webhooks keep it.
  const textQueued = await recordCallOutcomeAndQueueFollowUps(
    tx,
    tooLateToText ? { ...config, textBackEnabled: false } : config,
    { CallSid: parent.sid, From: parent.from, To: parent.to },
    outcome,
    parent.startTime,
  );
  await tx.query(
    `update public.calls set status = $2, duration_seconds = coalesce(duration_seconds, $3), ended_at = $4
      where call_sid = $1 and ended_at is null`,
    [parent.sid, parent.status, parent.duration ?? null, parent.endTime.toISOString()],
  );
  const leg = { clientId: config.clientId, direction: "inbound", callSid: parent.sid, seconds: parent.duration ?? 0, trackingNumber: parent.to, occurredAt: parent.startTime } as const;
  await recordUsage(tx, callLegUsage(leg));
  return { backfilled: !logged, settled: true, textQueued, tooLateToText };
}

/** No outcome yet, or only the guess a call with no dial outcome gets, which the forwarded leg replaces. */
export function awaitsOutcome(call: { outcome: string | null; missed_reason: string | null }, dialed: LoggedCall | undefined): boolean {
  return call.outcome === null || (dialed !== undefined && call.outcome === "missed" && call.missed_reason === "abandoned");
}
