// What Twilio sends Leadline when a caller calls, texts or leaves a voicemail, and when a text we
// sent is delivered: the same webhooks, in the same order, signed over the public URL.
import type { SentMessage } from "../../support/stand-ins/twilio-api";
import { sid } from "../../support/twilio-webhook";
import type { AppUnderTest } from "./app-under-test";
import type { Recording } from "./recordings";

type Call = { from: string; to: string };

const callBase = (app: AppUnderTest, call: Call, callSid: string) => ({
  AccountSid: app.accountSid,
  ApiVersion: "2010-04-01",
  CallSid: callSid,
  From: call.from,
  To: call.to,
  Direction: "inbound",
});

/** A call the business picks up and talks on for `talkSeconds`: the voice webhook, the dial action, the status callback. */
export async function placeAnsweredCall(app: AppUnderTest, call: Call, talkSeconds = 95): Promise<string> {
  const callSid = sid("CA");
  const base = callBase(app, call, callSid);
  await app.postWebhook("/api/twilio/voice", { ...base, CallStatus: "ringing" });
  await app.postWebhook("/api/twilio/status?event=dial", {
    ...base,
    CallStatus: "in-progress",
    DialCallSid: sid("CA"),
    DialCallStatus: "completed",
    DialBridged: "true",
    DialCallDuration: String(talkSeconds),
  });
  await app.postWebhook("/api/twilio/status", { ...base, CallStatus: "completed", CallDuration: String(talkSeconds + 6) });
  return callSid;
}

/**
 * A call nobody picks up, where the caller leaves a voicemail at the prompt: the voice webhook,
 * the dial action (no answer), the <Record> action with the recording, the status callback.
 */
export async function placeMissedCallWithVoicemail(app: AppUnderTest, call: Call, recording: Recording): Promise<string> {
  const callSid = sid("CA");
  const base = callBase(app, call, callSid);
  await app.postWebhook("/api/twilio/voice", { ...base, CallStatus: "ringing" });
  const prompt = await app.postWebhook("/api/twilio/status?event=dial", {
    ...base,
    CallStatus: "in-progress",
    DialCallSid: sid("CA"),
    DialCallStatus: "no-answer",
    DialBridged: "false",
  });
  if (!prompt.includes("<Record")) throw new Error(`the missed call was not offered voicemail: ${prompt}`);
  await leaveVoicemail(app, { ...call, callSid }, recording);
  await app.postWebhook("/api/twilio/status", { ...base, CallStatus: "completed", CallDuration: String(20 + recording.seconds) });
  return callSid;
}

/** The <Record> action for a call already logged: Twilio's recording of what the caller said. */
export async function leaveVoicemail(app: AppUnderTest, call: Call & { callSid: string }, recording: Recording): Promise<void> {
  await app.postWebhook("/api/twilio/status?event=voicemail", {
    ...callBase(app, call, call.callSid),
    CallStatus: "completed",
    RecordingSid: recording.sid,
    RecordingUrl: recording.url,
    RecordingDuration: String(recording.seconds),
    RecordingStatus: "completed",
  });
}

/** A lead texts a tracking number. */
export async function leadTexts(app: AppUnderTest, text: { from: string; to: string; body: string }): Promise<void> {
  await app.postWebhook("/api/twilio/sms", {
    AccountSid: app.accountSid,
    ApiVersion: "2010-04-01",
    MessageSid: sid("SM"),
    From: text.from,
    To: text.to,
    Body: text.body,
    NumMedia: "0",
    NumSegments: "1",
  });
}

/** Twilio's status callback for a text we sent, to the StatusCallback it was sent with (else the number's). */
export async function reportDelivery(app: AppUnderTest, message: SentMessage, status: "sent" | "delivered" | "undelivered"): Promise<void> {
  const callback = message.statusCallback ? new URL(message.statusCallback) : new URL("/api/twilio/status", app.url);
  if (callback.origin !== app.url) throw new Error(`the text's StatusCallback ${message.statusCallback} is not on the public URL ${app.url}`);
  await app.postWebhook(`${callback.pathname}${callback.search}`, {
    AccountSid: app.accountSid,
    ApiVersion: "2010-04-01",
    MessageSid: message.sid,
    SmsSid: message.sid,
    MessageStatus: status,
    From: message.from ?? "",
    To: message.to,
  });
}
