import { z } from "zod";
import { bestEffort } from "../db/best-effort";
import type { Queryable } from "../db/database";
import { getDatabase } from "../db/get-database";
import { lookupTrackingNumber } from "../config/lookup-tracking-number";
import type { TrackingNumberConfig } from "../config/tracking-number-config";
import { callerId, e164Phone, optionalSeconds, twilioSid } from "../twilio/twilio-fields";
import { EMPTY_TWIML, type WebhookAnswer } from "../twilio/twiml";
import { recordUsage } from "../usage/record-usage";
import { decideCallOutcome } from "./decide-call-outcome";
import { sendMissedCallText } from "./send-missed-call-text";

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
 * The parent call's status callback (set on the number). It only moves a call's status forward,
 * records the billed seconds, and closes a call that ended with no dial outcome (the caller hung
 * up while the business phone rang) as missed, which can earn a text-back.
 */
export async function handleCallStatus(status: CallStatusWebhook): Promise<WebhookAnswer> {
  const config = isFinal(status.CallStatus) ? await lookupTrackingNumber(status.To) : undefined;
  const textQueued = await bestEffort(`recording the status of ${status.CallSid}`, async () =>
    (await getDatabase()).transaction((tx) => recordCallStatus(tx, status, config)),
  );
  return { twiml: EMPTY_TWIML, afterResponse: textQueued ? () => sendMissedCallText(status.CallSid) : undefined };
}

async function recordCallStatus(tx: Queryable, status: CallStatusWebhook, config: TrackingNumberConfig | undefined): Promise<boolean> {
  const [call] = await tx.query<{ status: string; client_id: string | null }>(
    "select status, client_id from public.calls where call_sid = $1 for update",
    [status.CallSid],
  );
  if (call && rank(status.CallStatus) > rank(call.status)) {
    await tx.query(
      `update public.calls set status = $2, duration_seconds = coalesce($3, duration_seconds),
              ended_at = case when $4 then coalesce(ended_at, now()) else ended_at end
        where call_sid = $1`,
      [status.CallSid, status.CallStatus, status.CallDuration ?? null, isFinal(status.CallStatus)],
    );
  }
  if (!isFinal(status.CallStatus)) return false;
  const clientId = call?.client_id ?? config?.clientId;
  if (clientId && status.CallDuration) await recordUsage(tx, clientId, "call_seconds", status.CallDuration, status.CallSid);
  if (!config) return false;
  return decideCallOutcome(tx, config, status, { missed: "abandoned" });
}
