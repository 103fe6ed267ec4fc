import { getDatabase } from "../db/get-database";
import { enqueueLeadSync } from "../outbox/enqueue-lead-sync";
import { recordOptOut, TWILIO_OPT_OUT_REASON } from "../sms/opt-outs";
import { OPTED_OUT_ERROR, sendSms } from "../twilio/send-sms";
import { recordUsage, sentTextUsage } from "../usage/record-usage";

// Within the after() window of the webhook that queued it; a text that still fails stays failed.
const RETRY_DELAYS_MS = [1000, 3000];

type TextBack = { call_sid: string; client_id: string; caller: string; from_number: string; body: string };

/**
 * Sends a queued missed-call text. Claiming the row first means a second trigger for the same
 * call sends nothing, nor does a call answered since the text was queued. Transient failures are
 * retried briefly; 21610 (the caller texted STOP) is recorded as an opt-out.
 */
export async function sendMissedCallText(callSid: string): Promise<void> {
  const db = await getDatabase();
  const [textBack] = await db.query<TextBack>(
    `update internal.text_backs set status = 'sending', updated_at = now()
      where call_sid = $1 and status = 'pending'
        and exists (select 1 from public.calls c where c.call_sid = text_backs.call_sid and c.outcome = 'missed')
      returning call_sid, client_id, caller, from_number, body`,
    [callSid],
  );
  if (!textBack) return;

  const message = { to: textBack.caller, from: textBack.from_number, body: textBack.body };
  let result = await sendSms(message);
  for (const delay of RETRY_DELAYS_MS) {
    if (result.status !== "failed" || result.permanent) break;
    await new Promise((resolve) => setTimeout(resolve, delay));
    result = await sendSms(message);
  }
  await db.transaction(async (tx) => {
    if (result.status === "failed") {
      await tx.query(
        `update internal.text_backs set status = 'failed', error_code = $2, error_message = $3, updated_at = now() where call_sid = $1`,
        [callSid, result.errorCode ?? null, result.errorMessage],
      );
      if (result.errorCode === OPTED_OUT_ERROR) {
        await recordOptOut(tx, textBack.client_id, textBack.caller, TWILIO_OPT_OUT_REASON);
      }
      return;
    }
    await tx.query(`update internal.text_backs set status = $2, message_sid = $3, updated_at = now() where call_sid = $1`, [
      callSid,
      result.status,
      result.messageSid,
    ]);
    const [logged] = await tx.query<{ lead_id: string | null }>(
      `insert into public.messages (message_sid, client_id, lead_id, direction, author, tracking_number, counterpart, body, status)
       select $2, c.client_id, c.lead_id, 'outbound', 'auto', c.tracking_number, c.caller, $3, $4
         from public.calls c where c.call_sid = $1
       on conflict (message_sid) do nothing
       returning lead_id`,
      [callSid, result.messageSid, textBack.body, result.status === "simulated" ? "simulated" : "queued"],
    );
    if (logged?.lead_id) await enqueueLeadSync(tx, logged.lead_id, result.messageSid);
    if (result.status === "sent") {
      const sent = { clientId: textBack.client_id, trackingNumber: textBack.from_number, messageSid: result.messageSid, segments: result.segments };
      await recordUsage(tx, sentTextUsage(sent));
    }
  });
}
