import { serverEnv } from "../env";
import { PublicError } from "../http/public-error";
import { messageSid } from "../twilio/twilio-fields";
import { EMPTY_TWIML, type WebhookAnswer } from "../twilio/twiml";
import { recordDeliveryStatus, type MessageStatusWebhook } from "./record-message-status";

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
  await recordDeliveryStatus(relayed.data, "relay", status);
  return { twiml: EMPTY_TWIML };
}
