import { z } from "zod";
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

// Calls that arrive while a write is in flight are logged together: one statement, one commit.
const logCall = groupWrites<RoutedCall>(async (calls) => recordInboundCalls(await getDatabase(), calls));

export const UNROUTED_MESSAGE = "Sorry, the number you have called is not in service. Please check the number and try again. Goodbye.";

/**
 * An inbound call: forwarded to the client's primary number, then logged as a lead once. The call
 * is logged after the answer is sent, so the caller never waits on the database, even a hung one;
 * a call lost then (the process died, the database was down) is written with its lead and outcome
 * by reconciliation from Twilio's call log (lib/reconcile, every 10 minutes). The call and its
 * lead carry `receivedAt`, when Twilio asked, however late the write runs.
 */
export async function answerInboundCall(call: VoiceWebhook, receivedAt: Date): Promise<WebhookAnswer> {
  const config = await lookupTrackingNumber(call.To);
  if (!config) {
    const response = new VoiceResponse();
    response.say(UNROUTED_MESSAGE);
    response.hangup();
    return { twiml: response.toString(), afterResponse: async () => recordUnroutedCall(await getDatabase(), call) };
  }
  return { twiml: forwardingTwiml(config, call), afterResponse: () => logCall({ config, call, startedAt: receivedAt }) };
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
