import { bestEffort } from "../db/best-effort";
import { getDatabase } from "../db/get-database";
import { lookupTrackingNumber } from "../config/lookup-tracking-number";
import type { TrackingNumberConfig } from "../config/tracking-number-config";
import { EMPTY_TWIML, MessagingResponse, type WebhookAnswer } from "../twilio/twiml";
import type { InboundSms } from "./inbound-sms";
import { optOutKeyword } from "./opt-out-keyword";
import { recordInboundSms, recordUnroutedSms } from "./record-inbound-sms";
import { relayStatusUrl } from "./record-relay-status";
import { relayClientReply } from "./relay-client-reply";
import { relayedLeadText } from "./relayed-lead-text";

/**
 * An inbound text to a tracking number, which arrived at `receivedAt`: logged as the lead's, then
 * relayed to the client's mobile from the tracking number, prefixed with who wrote. STOP and START
 * keep the opt-out state (Twilio answers those keywords itself). A text from the client's own
 * mobile is a reply to a lead.
 */
export async function relayInboundSms(sms: InboundSms, receivedAt: Date): Promise<WebhookAnswer> {
  const config = await lookupTrackingNumber(sms.To);
  if (!config) {
    await bestEffort(`logging unrouted text ${sms.MessageSid}`, async () => recordUnroutedSms(await getDatabase(), sms, receivedAt));
    return { twiml: EMPTY_TWIML };
  }
  if (sms.From === config.smsForwardNumber) return relayClientReply(config, sms, receivedAt);

  const keyword = optOutKeyword(sms.Body, sms.OptOutType);
  await bestEffort(`logging text ${sms.MessageSid}`, async () =>
    (await getDatabase()).transaction((tx) => recordInboundSms(tx, config, sms, keyword, receivedAt)),
  );
  return { twiml: relayToClientTwiml(config, sms) };
}

export function relayToClientTwiml(config: TrackingNumberConfig, sms: InboundSms): string {
  const response = new MessagingResponse();
  const message = response.message(
    { to: config.smsForwardNumber, from: config.trackingNumber, action: relayStatusUrl(sms.MessageSid), method: "POST" },
    "",
  );
  message.body(relayedLeadText(sms.From, sms.Body));
  for (const media of sms.media) message.media(media.url);
  return response.toString();
}
