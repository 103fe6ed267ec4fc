import type { TrackingNumberConfig } from "../config/tracking-number-config";
import type { InboundSms } from "../sms/inbound-sms";
import { countSmsSegments } from "./count-sms-segments";
import { textUsage, type UsageEntry } from "./record-usage";

/** A text that reached one of the client's tracking numbers, from a lead or from the client's own mobile. */
export function inboundTextUsage(config: TrackingNumberConfig, sms: InboundSms, receivedAt: Date): UsageEntry {
  return textUsage({
    clientId: config.clientId,
    direction: "inbound",
    twilioSid: sms.MessageSid,
    trackingNumber: config.trackingNumber,
    occurredAt: receivedAt,
    segments: sms.NumSegments || countSmsSegments(sms.Body),
    hasMedia: sms.NumMedia > 0,
  });
}
