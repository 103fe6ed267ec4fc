import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { bestEffort } from "../db/best-effort";
import { getDatabase } from "../db/get-database";
import { serverEnv } from "../env";
import { lookupTrackingNumber } from "../config/lookup-tracking-number";
import type { TrackingNumberConfig } from "../config/tracking-number-config";
import { callerId, e164Phone, optionalSeconds, twilioBoolean, twilioSid } from "../twilio/twilio-fields";
import { EMPTY_TWIML, VoiceResponse, type WebhookAnswer } from "../twilio/twiml";
import { missedReason } from "./is-missed-call";
import { recordCallOutcomeAndQueueFollowUps } from "./record-call-outcome-and-queue-follow-ups";
import { sendMissedCallText } from "./send-missed-call-text";

export const dialOutcomeSchema = z.looseObject({
  CallSid: twilioSid("CA"),
  From: callerId,
  To: e164Phone,
  DialCallStatus: z.string().trim().optional(),
  DialCallSid: z.string().trim().optional(),
  DialCallDuration: optionalSeconds,
  DialBridged: twilioBoolean,
});
export type DialOutcomeWebhook = z.infer<typeof dialOutcomeSchema>;

/**
 * The <Dial> action: Twilio asks what to do once the forwarded leg ends. The answer continues the
 * live call, so it is always valid TwiML: a voicemail prompt when the call was missed and the
 * client keeps voicemail, else an empty response. The text-back goes out after the answer. A
 * write that fails is tried again after the answer, so the outcome is in Postgres before the
 * parent call's decision is due.
 */
export async function handleDialOutcome(dial: DialOutcomeWebhook, receivedAt: Date): Promise<WebhookAnswer> {
  const config = await lookupTrackingNumber(dial.To);
  if (!config) return { twiml: EMPTY_TWIML };
  const missed = missedReason(
    { dialCallStatus: dial.DialCallStatus, dialBridged: dial.DialBridged, dialCallDuration: dial.DialCallDuration },
    config.missedCallMaxSeconds,
  );
  const recordOutcome = async () =>
    (await getDatabase()).transaction((tx) =>
      recordCallOutcomeAndQueueFollowUps(
        tx,
        config,
        dial,
        {
          missed,
          dialCallSid: dial.DialCallSid,
          dialStatus: dial.DialCallStatus,
          dialDurationSeconds: dial.DialCallDuration,
          dialBridged: dial.DialBridged,
        },
        receivedAt,
      ),
    );
  const textQueued = await bestEffort(`recording the dial outcome of ${dial.CallSid}`, recordOutcome);
  const sendText = () => sendMissedCallText(dial.CallSid);
  return {
    twiml: missed && config.voicemailEnabled ? voicemailTwiml(config) : EMPTY_TWIML,
    afterResponse: textQueued === undefined ? () => retryAfterFailure(dial.CallSid, recordOutcome, sendText) : textQueued ? sendText : undefined,
  };
}

// Both tries usually land before the parent call's decision is due. When none does (the database
// stayed down, this process died), that decision reads the forwarded leg from Twilio's log, so an
// answered call is still recorded answered and its caller never texted.
const RETRY_DELAYS_MS = [1000, 2000];

async function retryAfterFailure(callSid: string, recordOutcome: () => Promise<boolean>, sendText: () => Promise<void>): Promise<void> {
  for (const delay of RETRY_DELAYS_MS) {
    await sleep(delay);
    let textQueued: boolean;
    try {
      textQueued = await recordOutcome();
    } catch (error) {
      console.error(`retrying the dial outcome of ${callSid} failed: ${(error as Error).message}`);
      continue;
    }
    if (textQueued) await sendText();
    return;
  }
}

export function voicemailTwiml(config: TrackingNumberConfig): string {
  const response = new VoiceResponse();
  response.say(`Sorry, ${config.clientName} can't take your call right now. Please leave a message after the tone.`);
  response.record({
    action: `${serverEnv().publicBaseUrl}/api/twilio/status?event=voicemail`,
    method: "POST",
    maxLength: 180,
    timeout: 5,
    playBeep: true,
  });
  return response.toString();
}
