import { z } from "zod";
import { bestEffort } from "../db/best-effort";
import { getDatabase } from "../db/get-database";
import { messageSid } from "../twilio/twilio-fields";
import { OPTED_OUT_ERROR } from "../twilio/send-sms";
import { recordOptOut, TWILIO_OPT_OUT_REASON } from "./opt-outs";
import { EMPTY_TWIML, type WebhookAnswer } from "../twilio/twiml";

export const messageStatusSchema = z.looseObject({
  MessageSid: messageSid,
  MessageStatus: z.string({ error: "required" }).trim().min(1, "required").max(32),
  ErrorCode: z.coerce.number().int().optional().catch(undefined),
});
export type MessageStatusWebhook = z.infer<typeof messageStatusSchema>;

// Callbacks arrive out of order; a status only ever moves right along this list.
const ORDER = ["simulated", "relayed", "accepted", "scheduled", "queued", "sending", "sent", "delivered", "read", "undelivered", "failed", "canceled"];

/** A status callback for a text we sent: moves its status forward; 21610 records an opt-out. */
export async function recordMessageStatus(status: MessageStatusWebhook): Promise<WebhookAnswer> {
  await bestEffort(`recording the status of ${status.MessageSid}`, async () =>
    (await getDatabase()).transaction(async (tx) => {
      const [message] = await tx.query<{ client_id: string | null; counterpart: string; status: string | null }>(
        "select client_id, counterpart, status from public.messages where message_sid = $1 for update",
        [status.MessageSid],
      );
      if (!message) return;
      if (ORDER.indexOf(status.MessageStatus) > ORDER.indexOf(message.status ?? "")) {
        await tx.query("update public.messages set status = $2, error_code = $3 where message_sid = $1", [
          status.MessageSid,
          status.MessageStatus,
          status.ErrorCode ?? null,
        ]);
      }
      if (status.ErrorCode === OPTED_OUT_ERROR && message.client_id) {
        await recordOptOut(tx, message.client_id, message.counterpart, TWILIO_OPT_OUT_REASON);
      }
    }),
  );
  return { twiml: EMPTY_TWIML };
}
