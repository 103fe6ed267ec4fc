import { beforeAll, describe, expect, it, vi } from "vitest";
import { POST as status } from "@/app/api/twilio/status/route";
import { POST as voice } from "@/app/api/twilio/voice/route";
import { POST as sms } from "@/app/api/twilio/sms/route";
import { recordCallOutcomeAndQueueFollowUps } from "@/lib/calls/record-call-outcome-and-queue-follow-ups";
import { sendMissedCallText } from "@/lib/calls/send-missed-call-text";
import { getDatabase } from "@/lib/db/get-database";
import type { TrackingNumberConfig } from "@/lib/config/tracking-number-config";
import { settleDeferredWork } from "../support/deferred-work";
import { useRemoteServices } from "../support/remote-services";
import { addTrackingNumber, phoneNumber } from "../support/tracking-numbers";
import { sid, twilioRequest } from "../support/twilio-webhook";

const { twilioApi } = useRemoteServices();

let config: TrackingNumberConfig;
beforeAll(async () => {
  config = await addTrackingNumber({ textBackMessage: "Sorry we missed you at Test Client Co! Reply here." });
});

type Call = { CallSid: string; From: string; To: string };

async function inboundCall(from = phoneNumber(), to = config.trackingNumber): Promise<Call> {
  const call = { CallSid: sid("CA"), From: from, To: to };
  const response = await voice(twilioRequest("/api/twilio/voice", { ...call, CallStatus: "ringing" }));
  expect(await response.text()).toContain("<Dial");
  return call;
}

async function dialOutcome(call: Call, outcome: Record<string, string>): Promise<string> {
  const response = await status(twilioRequest("/api/twilio/status?event=dial", { ...call, CallStatus: "in-progress", ...outcome }));
  expect(response.status).toBe(200);
  const twiml = await response.text();
  await settleDeferredWork();
  return twiml;
}

const textsTo = (caller: string) => twilioApi.sent.filter((message) => message.to === caller);

async function callRows(callSid: string) {
  const db = await getDatabase();
  return db.query<{ outcome: string; missed_reason: string | null }>("select outcome, missed_reason from public.calls where call_sid = $1", [
    callSid,
  ]);
}

const MISSED_FORMS: [string, Record<string, string>][] = [
  ["no-answer", { DialCallStatus: "no-answer", DialBridged: "false" }],
  ["busy", { DialCallStatus: "busy", DialBridged: "false" }],
  ["failed", { DialCallStatus: "failed", DialBridged: "false" }],
  ["canceled", { DialCallStatus: "canceled", DialBridged: "false" }],
  ["not bridged", { DialCallStatus: "completed", DialBridged: "false", DialCallDuration: "40" }],
  ["answered under the threshold (voicemail pickup)", { DialCallStatus: "completed", DialBridged: "true", DialCallDuration: "6" }],
];

describe("the <Dial> action decides missed calls", () => {
  it.each(MISSED_FORMS)("%s: one text from the tracking number with the client's message, and a voicemail prompt", async (_, outcome) => {
    const call = await inboundCall();
    const twiml = await dialOutcome(call, { DialCallSid: sid("CA"), ...outcome });

    expect(twiml).toContain("<Record ");
    expect(twiml).toContain("/api/twilio/status?event=voicemail");
    expect(textsTo(call.From)).toEqual([
      expect.objectContaining({ from: config.trackingNumber, body: "Sorry we missed you at Test Client Co! Reply here." }),
    ]);
    expect(await callRows(call.CallSid)).toEqual([expect.objectContaining({ outcome: "missed" })]);
  });

  it("answers an empty <Response/> and sends nothing when the call was answered past the threshold", async () => {
    const call = await inboundCall();
    const twiml = await dialOutcome(call, { DialCallStatus: "completed", DialBridged: "true", DialCallDuration: "16", DialCallSid: sid("CA") });

    expect(twiml).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    expect(textsTo(call.From)).toEqual([]);
    expect(await callRows(call.CallSid)).toEqual([{ outcome: "answered", missed_reason: null }]);
  });

  it("sends nothing, but still offers voicemail, when the client's text-back toggle is off", async () => {
    const quiet = await addTrackingNumber({ textBackEnabled: false });
    const call = await inboundCall(phoneNumber(), quiet.trackingNumber);
    const twiml = await dialOutcome(call, { DialCallStatus: "no-answer", DialBridged: "false" });

    expect(twiml).toContain("<Record ");
    expect(textsTo(call.From)).toEqual([]);
  });

  it("answers <Response/> instead of voicemail when the client turned voicemail off", async () => {
    const noVoicemail = await addTrackingNumber({ voicemailEnabled: false });
    const call = await inboundCall(phoneNumber(), noVoicemail.trackingNumber);
    expect(await dialOutcome(call, { DialCallStatus: "no-answer", DialBridged: "false" })).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    expect(textsTo(call.From)).toHaveLength(1);
  });

  it("counts any short answer as answered when the client's threshold is 0", async () => {
    const noThreshold = await addTrackingNumber({ missedCallMaxSeconds: 0 });
    const call = await inboundCall(phoneNumber(), noThreshold.trackingNumber);
    await dialOutcome(call, { DialCallStatus: "completed", DialBridged: "true", DialCallDuration: "3" });
    expect(textsTo(call.From)).toEqual([]);
  });

  it.each(["anonymous", "Restricted", "+266696687", "not-a-number"])("never texts a withheld or invalid caller (%s)", async (caller) => {
    const call = await inboundCall(caller);
    await dialOutcome(call, { DialCallStatus: "no-answer", DialBridged: "false" });
    expect(twilioApi.sent).toEqual([]);
    expect(await callRows(call.CallSid)).toEqual([expect.objectContaining({ outcome: "missed" })]);
  });

  it("never texts a caller who opted out with STOP", async () => {
    const caller = phoneNumber();
    await sms(twilioRequest("/api/twilio/sms", { MessageSid: sid("SM"), From: caller, To: config.trackingNumber, Body: "STOP" }));
    const call = await inboundCall(caller);
    await dialOutcome(call, { DialCallStatus: "no-answer", DialBridged: "false" });
    expect(textsTo(caller)).toEqual([]);
  });

  it("texts the same caller at most once per 24 hours", async () => {
    const caller = phoneNumber();
    await dialOutcome(await inboundCall(caller), { DialCallStatus: "no-answer", DialBridged: "false" });
    await dialOutcome(await inboundCall(caller), { DialCallStatus: "busy", DialBridged: "false" });
    expect(textsTo(caller)).toHaveLength(1);
  });

  it("texts again once the last text is more than 24 hours old", async () => {
    const caller = phoneNumber();
    await dialOutcome(await inboundCall(caller), { DialCallStatus: "no-answer", DialBridged: "false" });
    const db = await getDatabase();
    await db.query("update internal.text_backs set created_at = now() - interval '25 hours' where caller = $1", [caller]);
    await dialOutcome(await inboundCall(caller), { DialCallStatus: "no-answer", DialBridged: "false" });
    expect(textsTo(caller)).toHaveLength(2);
  });

  it("gives one text and one call row when the same callback arrives three times in a row", async () => {
    const call = await inboundCall();
    const outcome = { DialCallStatus: "no-answer", DialBridged: "false", DialCallSid: sid("CA") };
    for (let attempt = 0; attempt < 3; attempt += 1) expect(await dialOutcome(call, outcome)).toContain("<Record ");

    expect(textsTo(call.From)).toHaveLength(1);
    expect(await callRows(call.CallSid)).toHaveLength(1);
  });

  it("gives one text and one call row when the same callback arrives twice at the same instant", async () => {
    const call = await inboundCall();
    const outcome = { ...call, CallStatus: "in-progress", DialCallStatus: "no-answer", DialBridged: "false" };
    const answers = await Promise.all([
      status(twilioRequest("/api/twilio/status?event=dial", outcome)),
      status(twilioRequest("/api/twilio/status?event=dial", outcome)),
    ]);
    await settleDeferredWork();

    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect(textsTo(call.From)).toHaveLength(1);
    expect(await callRows(call.CallSid)).toHaveLength(1);
  });

  it("records an opt-out when Twilio refuses the text with 21610, and never tries that caller again", async () => {
    const caller = phoneNumber();
    twilioApi.failFor(caller, { code: 21610, message: "Attempt to send to unsubscribed recipient" });
    await dialOutcome(await inboundCall(caller), { DialCallStatus: "no-answer", DialBridged: "false" });
    const db = await getDatabase();
    expect(await db.query("select reason from public.opt_outs where phone = $1", [caller])).toEqual([{ reason: expect.stringContaining("21610") }]);

    await db.query("update internal.text_backs set created_at = now() - interval '25 hours' where caller = $1", [caller]);
    await dialOutcome(await inboundCall(caller), { DialCallStatus: "no-answer", DialBridged: "false" });
    expect(twilioApi.sent.filter((message) => message.to === caller)).toEqual([]);
  });

  it.each([
    [21614, "'To' number is not a valid mobile number"],
    [30006, "Landline or unreachable carrier"],
  ])("gives up at once on permanent error %i, recording it without an opt-out", async (code, message) => {
    const caller = phoneNumber();
    twilioApi.failFor(caller, { code, message });
    const call = await inboundCall(caller);
    await dialOutcome(call, { DialCallStatus: "no-answer", DialBridged: "false" });
    const db = await getDatabase();
    expect(await db.query("select status, error_code from internal.text_backs where call_sid = $1", [call.CallSid])).toEqual([
      { status: "failed", error_code: code },
    ]);
    expect(twilioApi.attempts(caller)).toBe(1);
    expect(await db.query("select 1 from public.opt_outs where phone = $1", [caller])).toEqual([]);
  });

  it("retries a text Twilio could not take for a moment (503), and sends it once", async () => {
    const caller = phoneNumber();
    twilioApi.failFor(caller, { status: 503, code: 20503, message: "Service unavailable", times: 1 });
    await dialOutcome(await inboundCall(caller), { DialCallStatus: "no-answer", DialBridged: "false" });
    expect(textsTo(caller)).toHaveLength(1);
    expect(twilioApi.attempts(caller)).toBe(2);
  });

  it("sends through the Messaging Service when one is configured, still from the tracking number the caller dialled", async () => {
    vi.stubEnv("TWILIO_MESSAGING_SERVICE_SID", `MG${"a".repeat(32)}`);
    const call = await inboundCall();
    await dialOutcome(call, { DialCallStatus: "no-answer", DialBridged: "false" });
    vi.unstubAllEnvs();
    expect(textsTo(call.From)).toEqual([expect.objectContaining({ messagingServiceSid: `MG${"a".repeat(32)}`, from: config.trackingNumber })]);
  });

  it("logs the text-back in the lead's conversation", async () => {
    const call = await inboundCall();
    await dialOutcome(call, { DialCallStatus: "no-answer", DialBridged: "false" });
    const db = await getDatabase();
    const rows = await db.query("select direction, author, body, message_sid from public.messages where counterpart = $1", [call.From]);
    expect(rows).toEqual([{ direction: "outbound", author: "auto", body: config.textBackMessage, message_sid: textsTo(call.From)[0].sid }]);
    expect(await db.query("select topic from internal.outbox where event_key = $1", [textsTo(call.From)[0].sid])).toEqual([{ topic: "lead.sync" }]);
  });
});

describe("the parent call's status callback", () => {
  it("closes a call with no dial outcome as missed (the caller hung up while it rang) a few seconds later, and texts once", async () => {
    const call = await inboundCall();
    const response = await status(twilioRequest("/api/twilio/status", { ...call, CallStatus: "completed", CallDuration: "12" }));

    expect(await response.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    expect(await callRows(call.CallSid)).toEqual([{ outcome: null, missed_reason: null }]);
    await settleDeferredWork();
    expect(await callRows(call.CallSid)).toEqual([{ outcome: "missed", missed_reason: "abandoned" }]);
    expect(textsTo(call.From)).toHaveLength(1);
  });

  it("lets a dial outcome that comes after it decide: an answered call is answered, and nobody is texted", async () => {
    const call = await inboundCall();
    await status(twilioRequest("/api/twilio/status", { ...call, CallStatus: "completed", CallDuration: "95" }));
    await dialOutcome(call, { DialCallStatus: "completed", DialBridged: "true", DialCallDuration: "90" });

    expect(await callRows(call.CallSid)).toEqual([{ outcome: "answered", missed_reason: null }]);
    expect(textsTo(call.From)).toEqual([]);
  });

  it("lets a dial outcome that comes even later correct the abandoned guess, without a second text", async () => {
    const call = await inboundCall();
    await status(twilioRequest("/api/twilio/status", { ...call, CallStatus: "completed", CallDuration: "30" }));
    await settleDeferredWork();
    await dialOutcome(call, { DialCallStatus: "no-answer", DialBridged: "false" });

    expect(await callRows(call.CallSid)).toEqual([{ outcome: "missed", missed_reason: "no-answer" }]);
    expect(textsTo(call.From)).toHaveLength(1);
  });

  it("leaves an answered call answered, and only moves the status forward", async () => {
    const call = await inboundCall();
    await dialOutcome(call, { DialCallStatus: "completed", DialBridged: "true", DialCallDuration: "90" });
    await status(twilioRequest("/api/twilio/status", { ...call, CallStatus: "completed", CallDuration: "95" }));
    await status(twilioRequest("/api/twilio/status", { ...call, CallStatus: "in-progress" }));
    await settleDeferredWork();

    const db = await getDatabase();
    expect(await db.query("select status, outcome, duration_seconds from public.calls where call_sid = $1", [call.CallSid])).toEqual([
      { status: "completed", outcome: "answered", duration_seconds: 95 },
    ]);
    expect(textsTo(call.From)).toEqual([]);
  });
});

describe("a missed-call text whose call turned out answered", () => {
  it("is not sent when the answer lands between queueing the text and sending it", async () => {
    const call = await inboundCall();
    const db = await getDatabase();
    const queued = await db.transaction((tx) => recordCallOutcomeAndQueueFollowUps(tx, config, call, { missed: "abandoned" }));
    expect(queued).toBe(true);
    await dialOutcome(call, { DialCallStatus: "completed", DialBridged: "true", DialCallDuration: "90" });
    await sendMissedCallText(call.CallSid);

    expect(await callRows(call.CallSid)).toEqual([{ outcome: "answered", missed_reason: null }]);
    expect(textsTo(call.From)).toEqual([]);
  });

  it("is canceled, so the caller's next missed call still gets its text", async () => {
    const call = await inboundCall();
    const db = await getDatabase();
    await db.transaction((tx) => recordCallOutcomeAndQueueFollowUps(tx, config, call, { missed: "abandoned" }));
    await dialOutcome(call, { DialCallStatus: "completed", DialBridged: "true", DialCallDuration: "90" });
    expect(await db.query("select status from internal.text_backs where call_sid = $1", [call.CallSid])).toEqual([{ status: "canceled" }]);

    const next = await inboundCall(call.From);
    await dialOutcome(next, { DialCallStatus: "no-answer", DialBridged: "false" });
    expect(textsTo(call.From)).toHaveLength(1);
  });
});

describe("the voicemail <Record> action", () => {
  it("keeps the recording on the call and hangs up", async () => {
    const call = await inboundCall();
    await dialOutcome(call, { DialCallStatus: "no-answer", DialBridged: "false" });
    const recordingSid = sid("RE");
    const response = await status(
      twilioRequest("/api/twilio/status?event=voicemail", {
        ...call,
        RecordingSid: recordingSid,
        RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/${recordingSid}`,
        RecordingDuration: "14",
      }),
    );
    expect(await response.text()).toContain("<Hangup/>");
    const db = await getDatabase();
    expect(await db.query("select recording_sid, recording_duration_seconds from public.calls where call_sid = $1", [call.CallSid])).toEqual([
      { recording_sid: recordingSid, recording_duration_seconds: 14 },
    ]);
  });
});
