// POST /api/twilio/status – Twilio reports how a call or text went: the <Dial> action, the
// voicemail <Record> action, the parent call's status callback, our texts' delivery status, and
// the delivery status of the texts we relay (<Message action>).
import { after } from "next/server";
import { callStatusSchema, handleCallStatus } from "@/lib/calls/handle-call-status";
import { dialOutcomeSchema, handleDialOutcome } from "@/lib/calls/handle-dial-outcome";
import { saveVoicemail, voicemailSchema } from "@/lib/calls/save-voicemail";
import { PublicError } from "@/lib/http/public-error";
import { messageStatusSchema, recordMessageStatus } from "@/lib/sms/record-message-status";
import { recordRelayStatus } from "@/lib/sms/record-relay-status";
import { parseTwilioParams, readTwilioWebhook, type TwilioWebhook } from "@/lib/twilio/read-twilio-webhook";
import { afterTwilioWebhook } from "@/lib/twilio/after-twilio-webhook";
import { onlyPost, twilioWebhookRoute } from "@/lib/twilio/twilio-webhook-route";

export const POST = twilioWebhookRoute({ defer: after, afterEach: afterTwilioWebhook }, async (request) => {
  const webhook = await readTwilioWebhook(request);
  const { params } = webhook;
  switch (statusEvent(webhook)) {
    case "dial":
      return handleDialOutcome(parseTwilioParams(dialOutcomeSchema, params), webhook.receivedAt);
    case "voicemail":
      return saveVoicemail(parseTwilioParams(voicemailSchema, params));
    case "message":
      return recordMessageStatus(parseTwilioParams(messageStatusSchema, params));
    case "relay":
      return recordRelayStatus(webhook.query.get("for"), parseTwilioParams(messageStatusSchema, params));
    case "call":
      return handleCallStatus(parseTwilioParams(callStatusSchema, params), webhook.receivedAt);
  }
});
export { onlyPost as GET, onlyPost as PUT, onlyPost as PATCH, onlyPost as DELETE };

/** Our own action URLs name their event; callbacks configured on numbers are told by their fields. */
function statusEvent({ query, params }: TwilioWebhook): "dial" | "voicemail" | "relay" | "message" | "call" {
  const named = query.get("event");
  if (named === "dial" || named === "voicemail" || named === "relay") return named;
  if (named) throw new PublicError(400, `unknown status event "${named}"`);
  if (params.MessageStatus !== undefined) return "message";
  if (params.DialCallStatus !== undefined) return "dial";
  if (params.RecordingUrl !== undefined) return "voicemail";
  if (params.CallStatus !== undefined) return "call";
  throw new PublicError(400, "not a status callback: no CallStatus, DialCallStatus, MessageStatus or RecordingUrl");
}
