import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { bestEffort } from "../db/best-effort";
import type { Queryable } from "../db/database";
import { getDatabase } from "../db/get-database";
import { lookupTrackingNumber } from "../config/lookup-tracking-number";
import type { TrackingNumberConfig } from "../config/tracking-number-config";
import { callerId, e164Phone, optionalSeconds, twilioSid } from "../twilio/twilio-fields";
import { EMPTY_TWIML, type WebhookAnswer } from "../twilio/twiml";
import { callLegUsage, recordUsage } from "../usage/record-usage";
import { recordInboundCall } from "./record-inbound-call";
import { ABANDONED_DECISION_DELAY_SECONDS, settleDueCalls } from "./settle-due-calls";

export const callStatusSchema = z.looseObject({
  CallSid: twilioSid("CA"),
  From: callerId,
  To: e164Phone,
  CallStatus: z.enum(["queued", "initiated", "ringing", "in-progress", "completed", "busy", "failed", "no-answer", "canceled"], {
    error: "must be a Twilio call status",
  }),
  CallDuration: optionalSeconds,
});
export type CallStatusWebhook = z.infer<typeof callStatusSchema>;

const PROGRESS = ["queued", "initiated", "ringing", "in-progress"];
const isFinal = (status: string) => !PROGRESS.includes(status);
const rank = (status: string) => (isFinal(status) ? PROGRESS.length : PROGRESS.indexOf(status));

/**
 * The parent call's status callback (set on the number). It only moves a call's status forward
 * and records the billed seconds. A call that ends with no dial outcome may be one the caller
 * hung up on while the business phone rang, or one whose <Dial> action is a moment behind or was
 * lost: it is marked due for a decision a few seconds later, which the dial outcome pre-empts and
 * which otherwise reads the forwarded leg from Twilio's log. The decision is taken here once due,
 * and by the scheduled follow-ups if this process is gone.
 */
export async function handleCallStatus(status: CallStatusWebhook, receivedAt: Date): Promise<WebhookAnswer> {
  const config = isFinal(status.CallStatus) ? await lookupTrackingNumber(status.To) : undefined;
  const decisionDue = await bestEffort(`recording the status of ${status.CallSid}`, async () =>
    (await getDatabase()).transaction((tx) => recordCallStatusAndScheduleDecision(tx, status, receivedAt, config)),
  );
  return { twiml: EMPTY_TWIML, afterResponse: decisionDue ? () => settleOnceDue(status.CallSid) : undefined };
}

/** Returns whether the call now waits for its decision. */
async function recordCallStatusAndScheduleDecision(
  tx: Queryable,
  status: CallStatusWebhook,
  receivedAt: Date,
  config: TrackingNumberConfig | undefined,
): Promise<boolean> {
  // The voice webhook's own write may not have landed yet: log the call now, so a final status is
  // never lost. This arrival is later than the call began; the voice write moves it back.
  if (config) await recordInboundCall(tx, config, status, receivedAt);
  const [call] = await tx.query<{ status: string; client_id: string | null; outcome: string | null }>(
    "select status, client_id, outcome from public.calls where call_sid = $1 for update",
    [status.CallSid],
  );
  if (call && rank(status.CallStatus) > rank(call.status)) {
    await tx.query(
      `update public.calls set status = $2, duration_seconds = coalesce($3, duration_seconds),
              ended_at = case when $4 then coalesce(ended_at, $5) else ended_at end
        where call_sid = $1`,
      [status.CallSid, status.CallStatus, status.CallDuration ?? null, isFinal(status.CallStatus), receivedAt.toISOString()],
    );
  }
  if (!isFinal(status.CallStatus)) return false;
  const clientId = call?.client_id ?? config?.clientId;
  if (clientId && status.CallDuration) {
    // The final status arrives as the call ends: it began CallDuration seconds before.
    const began = new Date(receivedAt.getTime() - status.CallDuration * 1000);
    await recordUsage(tx, callLegUsage({ clientId, direction: "inbound", callSid: status.CallSid, seconds: status.CallDuration, trackingNumber: status.To, occurredAt: began }));
  }
  if (!call || call.outcome !== null) return false;
  await tx.query(
    `update public.calls set outcome_due_at = coalesce(outcome_due_at, now() + make_interval(secs => $2)) where call_sid = $1`,
    [status.CallSid, ABANDONED_DECISION_DELAY_SECONDS],
  );
  return true;
}

// Only its own call: every instance settling every due call would ask Twilio about each one many times.
async function settleOnceDue(callSid: string): Promise<void> {
  await sleep(ABANDONED_DECISION_DELAY_SECONDS * 1000);
  await settleDueCalls(await getDatabase(), { onlyCallSid: callSid });
}
