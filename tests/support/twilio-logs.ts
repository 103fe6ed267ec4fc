// Calls and texts as they appear in Twilio's logs, put in the Twilio stand-in by a scenario.
import type { TrackingNumberConfig } from "@/lib/config/tracking-number-config";
import type { CallLogEntry, TwilioApiStandIn } from "./stand-ins/twilio-api";
import { phoneNumber } from "./tracking-numbers";
import { sid } from "./twilio-webhook";

// Twilio's log keeps whole seconds.
export const secondsAgo = (seconds: number): Date => new Date((Math.floor(Date.now() / 1000) - seconds) * 1000);
export const minutesAgo = (minutes: number): Date => secondsAgo(minutes * 60);

export type DialedLeg = { status: CallLogEntry["status"]; duration: number } | "no leg";
export type LoggedForwardedCall = { callSid: string; from: string; dialSid?: string; startTime: Date; endTime: Date; duration: number };

const RING_SECONDS = 8;

/**
 * A forwarded call in the log: the inbound parent and, unless the caller hung up first, the
 * `<Dial>` leg to the client's primary number, ended `endedSecondsAgo`.
 */
export function logForwardedCall(
  twilioApi: TwilioApiStandIn,
  config: TrackingNumberConfig,
  options: { dialed: DialedLeg; endedSecondsAgo: number; from?: string; callSid?: string },
): LoggedForwardedCall {
  const from = options.from ?? phoneNumber();
  const callSid = options.callSid ?? sid("CA");
  const legSeconds = options.dialed === "no leg" ? 0 : options.dialed.duration;
  const duration = RING_SECONDS + legSeconds + 1;
  const endTime = secondsAgo(options.endedSecondsAgo);
  const startTime = new Date(endTime.getTime() - duration * 1000);
  twilioApi.addCall({ sid: callSid, from, to: config.trackingNumber, status: "completed", direction: "inbound", startTime, endTime, duration });
  if (options.dialed === "no leg") return { callSid, from, startTime, endTime, duration };
  const dialSid = sid("CA");
  twilioApi.addCall({
    sid: dialSid,
    parentCallSid: callSid,
    from,
    to: config.primaryNumber,
    status: options.dialed.status,
    direction: "outbound-dial",
    startTime: new Date(startTime.getTime() + 1000),
    endTime: new Date(endTime.getTime() - 1000),
    duration: options.dialed.duration,
  });
  return { callSid, from, dialSid, startTime, endTime, duration };
}

export function logInboundText(
  twilioApi: TwilioApiStandIn,
  to: string,
  options: { body: string; sentSecondsAgo: number; from?: string; media?: string[] },
): { messageSid: string; from: string; dateSent: Date } {
  const from = options.from ?? phoneNumber();
  const messageSid = sid("SM");
  const dateSent = secondsAgo(options.sentSecondsAgo);
  twilioApi.addMessage({ sid: messageSid, from, to, body: options.body, direction: "inbound", dateSent, media: options.media });
  return { messageSid, from, dateSent };
}
