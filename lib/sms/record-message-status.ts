import { z } from "zod";
import { bestEffort } from "../db/best-effort";
import { getDatabase } from "../db/get-database";
import { messageSid } from "../twilio/twilio-fields";
import { recordRecipientError } from "./opt-outs";
import { EMPTY_TWIML, type WebhookAnswer } from "../twilio/twiml";
import { recordUsage } from "../usage/record-usage";
import { relayUsage, type RelayedText } from "../usage/relay-usage";

export const messageStatusSchema = z.looseObject({
  MessageSid: messageSid,
  MessageStatus: z.string({ error: "required" }).trim().min(1, "required").max(32),
  ErrorCode: z.coerce.number().int().optional().catch(undefined),
});
export type MessageStatusWebhook = z.infer<typeof messageStatusSchema>;

// Callbacks arrive out of order; a status only ever moves right along this list.
const ORDER = ["simulated", "relayed", "accepted", "scheduled", "queued", "sending", "sent", "delivered", "read", "undelivered", "failed", "canceled"];

const isLaterStatus = (next: string, current: string | null) => ORDER.indexOf(next) > ORDER.indexOf(current ?? "");

// Where a message row keeps the delivery of the text itself, and of the relay that copied it.
const DELIVERY_COLUMNS = {
  own: { status: "status", errorCode: "error_code", sid: "message_sid" },
  relay: { status: "relay_status", errorCode: "relay_error_code", sid: "relay_message_sid" },
} as const;

/**
 * Moves the delivery status kept on the message `rowSid` forward, from a status callback for the
 * text itself (`own`) or for the relay that copied it (`relay`, whose usage is recorded here: its
 * SID comes with its first callback). A refusal of an outbound text (21610, 30006) is the
 * recipient's, and kept against sending to them again.
 */
export async function recordDeliveryStatus(rowSid: string, delivery: keyof typeof DELIVERY_COLUMNS, status: MessageStatusWebhook): Promise<void> {
  const columns = DELIVERY_COLUMNS[delivery];
  await bestEffort(`recording the ${delivery === "relay" ? "relay " : ""}status of ${rowSid}`, async () =>
    (await getDatabase()).transaction(async (tx) => {
      const [message] = await tx.query<Omit<RelayedText, "client_id"> & { client_id: string | null; direction: string; status: string | null }>(
        `select client_id, direction, author, counterpart, body, media, tracking_number, created_at, ${columns.status} as status
           from public.messages where message_sid = $1 for update`,
        [rowSid],
      );
      if (!message) return;
      if (delivery === "relay" && message.client_id) await recordUsage(tx, relayUsage({ ...message, client_id: message.client_id }, status.MessageSid));
      if (isLaterStatus(status.MessageStatus, message.status)) {
        await tx.query(`update public.messages set ${columns.status} = $2, ${columns.errorCode} = $3, ${columns.sid} = $4 where message_sid = $1`, [
          rowSid,
          status.MessageStatus,
          status.ErrorCode ?? null,
          status.MessageSid,
        ]);
      }
      if (message.client_id && message.direction === "outbound") {
        await recordRecipientError(tx, message.client_id, message.counterpart, status.ErrorCode);
      }
    }),
  );
}

/**
 * A status callback for a text we sent: moves its status forward; 21610 records an opt-out and
 * 30006 that the number cannot receive texts.
 */
export async function recordMessageStatus(status: MessageStatusWebhook): Promise<WebhookAnswer> {
  await recordDeliveryStatus(status.MessageSid, "own", status);
  return { twiml: EMPTY_TWIML };
}
