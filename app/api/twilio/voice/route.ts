// POST /api/twilio/voice – Twilio asks what to do with a call to a tracking number.
import { after } from "next/server";
import { answerInboundCall, UNROUTED_MESSAGE, voiceWebhookSchema } from "@/lib/calls/answer-inbound-call";
import { parseTwilioParams, readTwilioWebhook } from "@/lib/twilio/read-twilio-webhook";
import { VoiceResponse } from "@/lib/twilio/twiml";
import { onlyPost, twilioWebhookRoute } from "@/lib/twilio/twilio-webhook-route";

const apology = new VoiceResponse();
apology.say(UNROUTED_MESSAGE);

export const POST = twilioWebhookRoute(
  after,
  async (request) => {
    const webhook = await readTwilioWebhook(request);
    return answerInboundCall(parseTwilioParams(voiceWebhookSchema, webhook.params));
  },
  apology.toString(),
);
export { onlyPost as GET, onlyPost as PUT, onlyPost as PATCH, onlyPost as DELETE };
