import { z } from "zod";
import { bestEffort } from "../db/best-effort";
import { getDatabase } from "../db/get-database";
import { serverEnv } from "../env";
import { lookupTrackingNumber } from "../config/lookup-tracking-number";
import type { TrackingNumberConfig } from "../config/tracking-number-config";
import { callerId, e164Phone, twilioSid } from "../twilio/twilio-fields";
import { VoiceResponse, type WebhookAnswer } from "../twilio/twiml";
import { groupWrites } from "../db/group-writes";
import { recordInboundCalls, recordUnroutedCall, type RoutedCall } from "./record-inbound-call";

export const voiceWebhookSchema = z.looseObject({
  CallSid: twilioSid("CA"),
  From: callerId,
  To: e164Phone,
});
export type VoiceWebhook = z.infer<typeof voiceWebhookSchema>;

// Simultaneous calls are logged together: one statement and one commit for a burst.
const logCall = groupWrites<RoutedCall>(async (calls) => {
  const db = await getDatabase();
  await recordInboundCalls(db, calls, { asyncCommit: db.kind === "postgres" });
});

export const UNROUTED_MESSAGE = "Sorry, the number you have called is not in service. Please check the number and try again. Goodbye.";

/** An inbound call: forwarded to the client's primary number, logged as a lead once. */
export async function answerInboundCall(call: VoiceWebhook): Promise<WebhookAnswer> {
  const config = await lookupTrackingNumber(call.To);
  if (!config) {
    await bestEffort(`logging unrouted call ${call.CallSid}`, async () => recordUnroutedCall(await getDatabase(), call));
    const response = new VoiceResponse();
    response.say(UNROUTED_MESSAGE);
    response.hangup();
    return { twiml: response.toString() };
  }
  await bestEffort(`logging call ${call.CallSid}`, () => logCall({ config, call }));
  return { twiml: forwardingTwiml(config, call) };
}

export function forwardingTwiml(config: TrackingNumberConfig, call: VoiceWebhook): string {
  const response = new VoiceResponse();
  const dial = response.dial({
    action: `${serverEnv().publicBaseUrl}/api/twilio/status?event=dial`,
    method: "POST",
    timeout: config.ringTimeoutSeconds,
    // By default the business sees who is calling; a client may prefer to see the tracking number.
    ...(config.showTrackingNumber ? { callerId: call.To } : {}),
  });
  dial.number(config.primaryNumber);
  return response.toString();
}
