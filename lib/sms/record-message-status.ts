import { z } from "zod";
import { bestEffort } from "../db/best-effort";
import { getDatabase } from "../db/get-database";
import { messageSid } from "../twilio/twilio-fields";
import { recordRecipientError } from "./opt-outs";
import { EMPTY_TWIML, type WebhookAnswer } from "../twilio/twiml";

export const messageStatusSchema = z.looseObject({
  MessageSid: messageSid,
  MessageStatus: z.string({ error: "required" }).trim().min(1, "required").max(32),
  ErrorCode: z.coerce.number().int().optional().catch(undefined),
});
export type MessageStatusWebhook = z.infer<typeof messageStatusSchema>;

// Callbacks arrive out of order; a status only ever moves right along this list.
const ORDER = ["simulated", "relayed", "accepted", "scheduled", "queued", "sending", "sent", "delivered", "read", "undelivered", "failed", "canceled"];

export function isLaterStatus(next: string, current: string | null): boolean {
  return ORDER.indexOf(next) > ORDER.indexOf(current ?? "");
}

/**
 * A status callback for a text we sent: moves its status forward; 21610 records an opt-out and
 * 30006 that the number cannot receive texts.
 */
export async function recordMessageStatus(status: MessageStatusWebhook): Promise<WebhookAnswer> {
  await bestEffort(`recording the status of ${status.MessageSid}`, async () =>
    (await getDatabase()).transaction(async (tx) => {
      const [message] = await tx.query<{ client_id: string | null; direction: string; counterpart: string; status: string | null }>(
        "select client_id, direction, counterpart, status from public.messages where message_sid = $1 for update",
        [status.MessageSid],
      );
      if (!message) return;
      if (isLaterStatus(status.MessageStatus, message.status)) {
        await tx.query("update public.messages set status = $2, error_code = $3 where message_sid = $1", [
          status.MessageSid,
          status.MessageStatus,
          status.ErrorCode ?? null,
        ]);
      }
      if (message.client_id && message.direction === "outbound") {
        await recordRecipientError(tx, message.client_id, message.counterpart, status.ErrorCode);
      }
    }),
  );
  return { twiml: EMPTY_TWIML };
}
