// POST /api/twilio/sms – Twilio delivers a text (SMS or MMS) sent to a tracking number.
import { after } from "next/server";
import { inboundSmsSchema } from "@/lib/sms/inbound-sms";
import { relayInboundSms } from "@/lib/sms/relay-inbound-sms";
import { parseTwilioParams, readTwilioWebhook } from "@/lib/twilio/read-twilio-webhook";
import { afterTwilioWebhook } from "@/lib/twilio/after-twilio-webhook";
import { onlyPost, twilioWebhookRoute } from "@/lib/twilio/twilio-webhook-route";

export const POST = twilioWebhookRoute({ defer: after, afterEach: afterTwilioWebhook }, async (request) => {
  const webhook = await readTwilioWebhook(request);
  return relayInboundSms(parseTwilioParams(inboundSmsSchema, webhook.params), webhook.receivedAt);
});
export { onlyPost as GET, onlyPost as PUT, onlyPost as PATCH, onlyPost as DELETE };
