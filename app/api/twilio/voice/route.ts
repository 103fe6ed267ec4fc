// POST /api/twilio/voice – Twilio asks what to do with a call to a tracking number.
import { after } from "next/server";
import { answerInboundCall, voiceWebhookSchema } from "@/lib/calls/answer-inbound-call";
import { parseTwilioParams, readTwilioWebhook } from "@/lib/twilio/read-twilio-webhook";
import { VoiceResponse } from "@/lib/twilio/twiml";
import { afterTwilioWebhook } from "@/lib/twilio/after-twilio-webhook";
import { onlyPost, twilioWebhookRoute } from "@/lib/twilio/twilio-webhook-route";

// Only if something unforeseen breaks: a spoken apology, never Twilio's "application error".
const apology = new VoiceResponse();
apology.say("Sorry, we could not connect your call just now. Please try again in a moment.");

export const POST = twilioWebhookRoute({ defer: after, afterEach: afterTwilioWebhook, fallbackTwiml: apology.toString() }, async (request) => {
  const webhook = await readTwilioWebhook(request);
  return answerInboundCall(parseTwilioParams(voiceWebhookSchema, webhook.params), webhook.receivedAt);
});
export { onlyPost as GET, onlyPost as PUT, onlyPost as PATCH, onlyPost as DELETE };
