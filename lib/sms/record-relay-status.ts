import { bestEffort } from "../db/best-effort";
import { getDatabase } from "../db/get-database";
import { serverEnv } from "../env";
import { PublicError } from "../http/public-error";
import { messageSid } from "../twilio/twilio-fields";
import { EMPTY_TWIML, type WebhookAnswer } from "../twilio/twiml";
import { recordRecipientError } from "./opt-outs";
import { isLaterStatus, type MessageStatusWebhook } from "./record-message-status";

/** The `<Message action>` of a relay: its status callbacks name the text the relay copies. */
export function relayStatusUrl(relayedMessageSid: string): string {
  return `${serverEnv().publicBaseUrl}/api/twilio/status?event=relay&for=${relayedMessageSid}`;
}

/**
 * A status callback for a relay (MessageSid is the relay's own), kept on the row of the text it
 * copies, so a relay that failed shows there. The status only moves forward. A client's reply was
 * relayed to the lead, so its 21610 or 30006 is the lead's; a lead's text was relayed to the
 * client, whose refusals opt nobody out.
 */
export async function recordRelayStatus(relayedFor: string | null, status: MessageStatusWebhook): Promise<WebhookAnswer> {
  const relayed = messageSid.safeParse(relayedFor);
  if (!relayed.success) throw new PublicError(400, `for: ${relayed.error.issues[0].message}`);
  await bestEffort(`recording the relay status of ${relayed.data}`, async () =>
    (await getDatabase()).transaction(async (tx) => {
      const [message] = await tx.query<{ client_id: string | null; direction: string; counterpart: string; relay_status: string | null }>(
        "select client_id, direction, counterpart, relay_status from public.messages where message_sid = $1 for update",
        [relayed.data],
      );
      if (!message) return;
      if (isLaterStatus(status.MessageStatus, message.relay_status)) {
        await tx.query(
          "update public.messages set relay_status = $2, relay_error_code = $3, relay_message_sid = $4 where message_sid = $1",
          [relayed.data, status.MessageStatus, status.ErrorCode ?? null, status.MessageSid],
        );
      }
      if (message.client_id && message.direction === "outbound") {
        await recordRecipientError(tx, message.client_id, message.counterpart, status.ErrorCode);
      }
    }),
  );
  return { twiml: EMPTY_TWIML };
}
