import { randomBytes } from "node:crypto";
import { serverEnv } from "../env";
import { countSmsSegments } from "../usage/count-sms-segments";
import { twilioRestClient } from "./twilio-rest-client";

export type SmsResult =
  | { status: "sent"; messageSid: string; segments: number }
  | { status: "simulated"; messageSid: string }
  | { status: "failed"; errorCode?: number; errorMessage: string; permanent: boolean };

export const OPTED_OUT_ERROR = 21610;

/**
 * Sends one SMS through Twilio's REST API from the tracking number, through the configured
 * Messaging Service when there is one. `From` goes in either way: Twilio sends from it when it is
 * in the service's pool, so the lead's reply comes back to the number the lead knows, not to
 * whichever pool number the service would pick. A sent text carries the segments Twilio counted
 * (or, if its answer has none, our own count). Without a Twilio account (local development) the
 * text is recorded as simulated.
 */
export async function sendSms(message: { to: string; from: string; body: string }): Promise<SmsResult> {
  const env = serverEnv();
  const client = twilioRestClient(env.twilio);
  if (!client) return { status: "simulated", messageSid: `SM${randomBytes(16).toString("hex")}` };
  const { messagingServiceSid } = env.twilio;
  try {
    const sent = await client.messages.create({
      to: message.to,
      from: message.from,
      body: message.body,
      statusCallback: `${env.publicBaseUrl}/api/twilio/status`,
      ...(messagingServiceSid ? { messagingServiceSid } : {}),
    });
    return { status: "sent", messageSid: sent.sid, segments: Number.parseInt(sent.numSegments, 10) || countSmsSegments(message.body) };
  } catch (error) {
    const { status, code, message: errorMessage } = error as { status?: number; code?: number; message?: string };
    return {
      status: "failed",
      errorCode: code,
      errorMessage: errorMessage ?? String(error),
      // Twilio refusing the request (21610 opted out, 21614 and 30006 not reachable by SMS, a bad
      // number) will refuse it again; a network error, a 5xx or a 429 may not.
      permanent: status !== undefined && status < 500 && status !== 429,
    };
  }
}
