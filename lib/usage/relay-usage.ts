import { relayedLeadText } from "../sms/relayed-lead-text";
import { countSmsSegments } from "./count-sms-segments";
import { textUsage, type UsageEntry } from "./record-usage";

/** A text that was relayed: a lead's to the client's mobile, or the client's reply to its lead. */
export type RelayedText = {
  client_id: string;
  author: string;
  counterpart: string;
  body: string;
  media: unknown[];
  tracking_number: string;
  created_at: Date;
};

/**
 * The relay's own entry, known only once a status callback names its SID: sent from the tracking
 * number right after the text it copies, so it counts when that text came. Its segments are
 * counted here from what the relay said until Twilio's message log gives its own count.
 */
export function relayUsage(relayed: RelayedText, relaySid: string): UsageEntry {
  const body = relayed.author === "lead" ? relayedLeadText(relayed.counterpart, relayed.body) : relayed.body;
  return textUsage({
    clientId: relayed.client_id,
    direction: "outbound",
    twilioSid: relaySid,
    trackingNumber: relayed.tracking_number,
    occurredAt: relayed.created_at,
    segments: countSmsSegments(body),
    hasMedia: relayed.media.length > 0,
  });
}
