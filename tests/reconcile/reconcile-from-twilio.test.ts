// Reconciliation from Twilio's logs closes the gap the webhooks leave on purpose: they answer
// first and write afterwards, so a process that dies then, or a database outage, loses rows.
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { POST as status } from "@/app/api/twilio/status/route";
import { POST as voice } from "@/app/api/twilio/voice/route";
import { settleDueCalls } from "@/lib/calls/settle-due-calls";
import type { TrackingNumberConfig } from "@/lib/config/tracking-number-config";
import { getDatabase } from "@/lib/db/get-database";
import { reconcileFromTwilio } from "@/lib/reconcile/reconcile-from-twilio";
import { readLastReconcileRun } from "@/lib/reconcile/reconcile-runs";
import { settleDeferredWork } from "../support/deferred-work";
import { useRemoteServices } from "../support/remote-services";
import { rowCounts } from "../support/row-counts";
import { addTrackingNumber, phoneNumber } from "../support/tracking-numbers";
import { logForwardedCall, logInboundText, minutesAgo, secondsAgo } from "../support/twilio-logs";
import { sid, twilioRequest } from "../support/twilio-webhook";

const { twilioApi } = useRemoteServices();

const TWO_HOURS = 2 * 60 * 60_000;
const TEXT_BACK = "Sorry we missed you! Text us here.";

let config: TrackingNumberConfig;
beforeAll(async () => {
  config = await addTrackingNumber({ textBackMessage: TEXT_BACK });
});
// Two records a page, so every run walks several pages of each log.
beforeEach(() => twilioApi.limitPageSize(2));

const reconcile = () => reconcileFromTwilio({ sinceMs: TWO_HOURS });
const textsTo = (caller: string) => twilioApi.sent.filter((message) => message.to === caller);

async function callRow(callSid: string) {
  const db = await getDatabase();
  const [row] = await db.query<Record<string, unknown>>(
    `select c.status, c.outcome, c.missed_reason, c.dial_call_sid, c.dial_status, c.dial_duration_seconds, c.duration_seconds,
            c.started_at, c.ended_at, c.client_id, l.caller as lead_caller, l.caller_withheld, l.lead_key
       from public.calls c left join public.leads l on l.id = c.lead_id where c.call_sid = $1`,
    [callSid],
  );
  return row;
}

async function pipelineJobs(eventKeys: string[]): Promise<string[]> {
  const db = await getDatabase();
  const rows = await db.query<{ event_key: string }>("select event_key from internal.outbox where event_key = any($1) order by event_key", [eventKeys]);
  return rows.map((row) => row.event_key);
}

async function textBackRows(callSids: string[]): Promise<string[]> {
  const db = await getDatabase();
  const rows = await db.query<{ call_sid: string }>("select call_sid from internal.text_backs where call_sid = any($1)", [callSids]);
  return rows.map((row) => row.call_sid);
}

describe("reconciling from Twilio's call and message logs", () => {
  it("back-fills every call and text Postgres lacks, walking every page, and a second run changes nothing", async () => {
    const noThreshold = await addTrackingNumber({ clientId: "no-threshold-client", clientName: "No Threshold Co", missedCallMaxSeconds: 0 });
    const answered = logForwardedCall(twilioApi, config, { dialed: { status: "completed", duration: 45 }, endedSecondsAgo: 40 * 60 });
    const noAnswer = logForwardedCall(twilioApi, config, { dialed: { status: "no-answer", duration: 0 }, endedSecondsAgo: 25 * 60 });
    const busy = logForwardedCall(twilioApi, config, { dialed: { status: "busy", duration: 0 }, endedSecondsAgo: 41 * 60 });
    const tooShort = logForwardedCall(twilioApi, config, { dialed: { status: "completed", duration: 6 }, endedSecondsAgo: 50 * 60 });
    const abandoned = logForwardedCall(twilioApi, config, { dialed: "no leg", endedSecondsAgo: 45 * 60 });
    const withheld = logForwardedCall(twilioApi, config, { dialed: { status: "no-answer", duration: 0 }, endedSecondsAgo: 20 * 60, from: "anonymous" });
    const shortButCounted = logForwardedCall(twilioApi, noThreshold, { dialed: { status: "completed", duration: 3 }, endedSecondsAgo: 35 * 60 });
    const unknownNumber = { ...config, trackingNumber: phoneNumber("512"), clientId: "nobody" };
    const notOurs = logForwardedCall(twilioApi, unknownNumber, { dialed: { status: "no-answer", duration: 0 }, endedSecondsAgo: 30 * 60 });
    const justEnded = logForwardedCall(twilioApi, config, { dialed: { status: "no-answer", duration: 0 }, endedSecondsAgo: 30 });
    const inProgress = { sid: sid("CA"), from: phoneNumber(), to: config.trackingNumber };
    twilioApi.addCall({ ...inProgress, status: "in-progress", direction: "inbound", startTime: secondsAgo(90) });

    const leadText = logInboundText(twilioApi, config.trackingNumber, { from: answered.from, body: "Can you call me back about the quote?", sentSecondsAgo: 38 * 60 });
    const stop = logInboundText(twilioApi, config.trackingNumber, { body: "Stop", sentSecondsAgo: 30 * 60 });
    const photo = logInboundText(twilioApi, config.trackingNumber, { body: "This is the leak", sentSecondsAgo: 20 * 60, media: ["image/jpeg", "image/png"] });
    const clientReply = logInboundText(twilioApi, config.trackingNumber, { from: config.smsForwardNumber, body: "On my way", sentSecondsAgo: 15 * 60 });
    const toNobody = logInboundText(twilioApi, unknownNumber.trackingNumber, { body: "hello?", sentSecondsAgo: 10 * 60 });
    twilioApi.addMessage({ sid: sid("SM"), from: config.trackingNumber, to: noAnswer.from, body: "an earlier text of ours", direction: "outbound-api", dateSent: minutesAgo(5) });

    const before = await rowCounts();
    const report = await reconcile();

    expect(report).toEqual({
      window: { from: expect.any(String), to: expect.any(String) },
      counts: {
        callsSeen: 10,
        callsBackfilled: 7,
        outcomesSettled: 7,
        textsSeen: 5,
        textsBackfilled: 3,
        textBacksSent: 1,
        textBacksTooLate: 3,
        skipped: 5,
        // Our earlier text and the client's own text, which the webhooks never recorded; today for both numbers.
        usageAdded: 2,
        pricesFilled: 0,
        numberDays: 2,
      },
    });
    // Every page of both logs was read, through Twilio's own paging.
    const pages = (resource: string) => twilioApi.listRequests.filter((request) => request.resource === resource);
    expect(pages("Calls")).toHaveLength(Math.ceil(18 / 2));
    expect(pages("Messages")).toHaveLength(Math.ceil(6 / 2));
    expect(pages("Calls")[0].query.get("StartTime>")).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(pages("Calls").slice(1).every((page) => page.query.get("PageToken")?.startsWith("PACA"))).toBe(true);

    expect(await callRow(answered.callSid)).toEqual(
      expect.objectContaining({
        status: "completed",
        outcome: "answered",
        missed_reason: null,
        dial_call_sid: answered.dialSid,
        dial_status: "completed",
        dial_duration_seconds: 45,
        duration_seconds: answered.duration,
        started_at: answered.startTime,
        ended_at: answered.endTime,
        lead_caller: answered.from,
      }),
    );
    for (const [call, reason] of [
      [noAnswer, "no-answer"],
      [busy, "busy"],
      [tooShort, "too-short"],
      [abandoned, "abandoned"],
      [withheld, "no-answer"],
    ] as const) {
      expect(await callRow(call.callSid), reason).toEqual(expect.objectContaining({ outcome: "missed", missed_reason: reason, started_at: call.startTime }));
    }
    expect(await callRow(shortButCounted.callSid)).toEqual(expect.objectContaining({ outcome: "answered", client_id: "no-threshold-client" }));
    expect(await callRow(withheld.callSid)).toEqual(expect.objectContaining({ caller_withheld: true, lead_key: `${config.clientId}:withheld:${withheld.callSid}` }));
    for (const skipped of [notOurs.callSid, justEnded.callSid, inProgress.sid]) expect(await callRow(skipped)).toBeUndefined();

    // Only the missed call found within 30 minutes of its end is texted; the withheld caller never is.
    expect(twilioApi.sent).toEqual([expect.objectContaining({ to: noAnswer.from, from: config.trackingNumber, body: TEXT_BACK })]);
    expect(await textBackRows([busy, tooShort, abandoned, withheld].map((call) => call.callSid))).toEqual([]);

    const db = await getDatabase();
    const messages = await db.query<{ message_sid: string; body: string; created_at: Date; media: { url: string }[]; lead_id: string }>(
      "select message_sid, body, created_at, media, lead_id from public.messages where message_sid = any($1) order by created_at",
      [[leadText, stop, photo, clientReply, toNobody].map((text) => text.messageSid)],
    );
    expect(messages.map(({ message_sid, body, created_at }) => ({ message_sid, body, created_at }))).toEqual([
      { message_sid: leadText.messageSid, body: "Can you call me back about the quote?", created_at: leadText.dateSent },
      { message_sid: stop.messageSid, body: "Stop", created_at: stop.dateSent },
      { message_sid: photo.messageSid, body: "This is the leak", created_at: photo.dateSent },
    ]);
    expect(messages[2].media).toEqual([
      { url: expect.stringMatching(new RegExp(`^https://api\\.twilio\\.com/2010-04-01/Accounts/AC0+/Messages/${photo.messageSid}/Media/ME\\w+$`)), contentType: "image/jpeg" },
      { url: expect.stringMatching(/\/Media\/ME\w+$/), contentType: "image/png" },
    ]);
    // The caller's call and text are one lead, dated by Twilio's times, not by when it was found.
    const [lead] = await db.query<{ id: string; first_contact_at: Date; last_contact_at: Date }>(
      "select id, first_contact_at, last_contact_at from public.leads where client_id = $1 and caller = $2",
      [config.clientId, answered.from],
    );
    expect(lead).toEqual({ id: messages[0].lead_id, first_contact_at: answered.startTime, last_contact_at: leadText.dateSent });
    expect(await db.query("select reason from public.opt_outs where phone = $1", [stop.from])).toEqual([{ reason: "texted STOP" }]);
    expect(await db.query("select 1 from public.leads where caller = $1", [config.smsForwardNumber])).toEqual([]);

    const usage = await db.query<{ twilio_sid: string; quantity: number }>(
      "select twilio_sid, quantity from public.usage_events where kind = 'call_seconds' and twilio_sid = any($1) order by quantity",
      [[answered.callSid, answered.dialSid]],
    );
    expect(usage).toEqual([
      { twilio_sid: answered.dialSid, quantity: 45 },
      { twilio_sid: answered.callSid, quantity: answered.duration },
    ]);
    expect(await pipelineJobs([answered.callSid, `${answered.callSid}:outcome`, leadText.messageSid, photo.messageSid])).toEqual(
      [answered.callSid, `${answered.callSid}:outcome`, leadText.messageSid, photo.messageSid].sort(),
    );
    const after = await rowCounts();
    expect(after.calls - before.calls).toBe(7);
    expect(after.messages - before.messages).toBe(3 + 1); // the three texts, and the text-back in the lead's conversation

    twilioApi.listRequests.length = 0;
    const again = await reconcile();
    expect(await rowCounts()).toEqual(after);
    expect(twilioApi.sent).toHaveLength(1);
    expect(again).toEqual({
      window: expect.any(Object),
      counts: { callsSeen: 10, callsBackfilled: 0, outcomesSettled: 0, textsSeen: 5, textsBackfilled: 0, textBacksSent: 0, textBacksTooLate: 0, skipped: 5, usageAdded: 0, pricesFilled: 0, numberDays: 0 },
    });
  });

  it("texts a missed call found 25 minutes after it ended, but only records one found after 40", async () => {
    const recent = logForwardedCall(twilioApi, config, { dialed: { status: "no-answer", duration: 0 }, endedSecondsAgo: 25 * 60 });
    const late = logForwardedCall(twilioApi, config, { dialed: { status: "no-answer", duration: 0 }, endedSecondsAgo: 40 * 60 });

    await reconcile();

    expect(textsTo(recent.from)).toHaveLength(1);
    expect(textsTo(late.from)).toEqual([]);
    expect(await callRow(late.callSid)).toEqual(expect.objectContaining({ outcome: "missed", missed_reason: "no-answer" }));
    expect(await textBackRows([recent.callSid, late.callSid])).toEqual([recent.callSid]);
  });

  it("leaves a call the webhooks logged in full alone", async () => {
    const call = { CallSid: sid("CA"), From: phoneNumber(), To: config.trackingNumber };
    await voice(twilioRequest("/api/twilio/voice", { ...call, CallStatus: "ringing" }));
    await status(twilioRequest("/api/twilio/status?event=dial", { ...call, CallStatus: "in-progress", DialCallStatus: "no-answer", DialBridged: "false" }));
    await status(twilioRequest("/api/twilio/status", { ...call, CallStatus: "completed", CallDuration: "30" }));
    await settleDeferredWork();
    // Twilio's own log disagrees about nothing it would matter to, but the row is the webhooks' word.
    logForwardedCall(twilioApi, config, { callSid: call.CallSid, from: call.From, dialed: { status: "no-answer", duration: 0 }, endedSecondsAgo: 10 * 60 });
    const row = await callRow(call.CallSid);
    const counts = await rowCounts();
    const texts = twilioApi.sent.length;

    const report = await reconcile();

    expect(await callRow(call.CallSid)).toEqual(row);
    expect(await rowCounts()).toEqual(counts);
    expect(twilioApi.sent).toHaveLength(texts);
    expect(report).toEqual(expect.objectContaining({ counts: expect.objectContaining({ callsSeen: 1, callsBackfilled: 0, outcomesSettled: 0 }) }));
  });

  it("settles a logged call whose outcome was lost from its forwarded leg, and texts the caller once", async () => {
    const call = { CallSid: sid("CA"), From: phoneNumber(), To: config.trackingNumber };
    await voice(twilioRequest("/api/twilio/voice", { ...call, CallStatus: "ringing" }));
    await settleDeferredWork();
    const logged = logForwardedCall(twilioApi, config, { callSid: call.CallSid, from: call.From, dialed: { status: "busy", duration: 0 }, endedSecondsAgo: 10 * 60 });

    const report = await reconcile();
    await reconcile();

    expect(report).toEqual(expect.objectContaining({ counts: expect.objectContaining({ callsBackfilled: 0, outcomesSettled: 1, textBacksSent: 1 }) }));
    expect(await callRow(call.CallSid)).toEqual(
      expect.objectContaining({ status: "completed", outcome: "missed", missed_reason: "busy", dial_call_sid: logged.dialSid, ended_at: logged.endTime }),
    );
    expect(textsTo(call.From)).toHaveLength(1);
    expect(await pipelineJobs([call.CallSid, `${call.CallSid}:outcome`])).toEqual([call.CallSid, `${call.CallSid}:outcome`]);
  });

  it("replaces the abandoned guess with what the forwarded leg says when the <Dial> action was lost", async () => {
    const call = { CallSid: sid("CA"), From: phoneNumber(), To: config.trackingNumber };
    await voice(twilioRequest("/api/twilio/voice", { ...call, CallStatus: "ringing" }));
    await settleDeferredWork();
    const db = await getDatabase();
    // The status callback came and its wait ran out; the dial action never arrived.
    await db.query("update public.calls set status = 'completed', outcome_due_at = now() where call_sid = $1", [call.CallSid]);
    await settleDueCalls(db);
    expect(await callRow(call.CallSid)).toEqual(expect.objectContaining({ outcome: "missed", missed_reason: "abandoned" }));
    logForwardedCall(twilioApi, config, { callSid: call.CallSid, from: call.From, dialed: { status: "completed", duration: 120 }, endedSecondsAgo: 10 * 60 });

    await reconcile();
    const counts = await rowCounts();
    await reconcile();

    expect(await callRow(call.CallSid)).toEqual(expect.objectContaining({ outcome: "answered", missed_reason: null, dial_duration_seconds: 120 }));
    expect(await pipelineJobs([`${call.CallSid}:outcome-revised`])).toEqual([`${call.CallSid}:outcome-revised`]);
    expect(await rowCounts()).toEqual(counts);
  });

  it("puts a lost STOP in place before it texts a lost missed call from the same caller", async () => {
    const caller = phoneNumber();
    logInboundText(twilioApi, config.trackingNumber, { from: caller, body: "STOP", sentSecondsAgo: 12 * 60 });
    const call = logForwardedCall(twilioApi, config, { from: caller, dialed: { status: "no-answer", duration: 0 }, endedSecondsAgo: 10 * 60 });

    await reconcile();

    expect(await callRow(call.callSid)).toEqual(expect.objectContaining({ outcome: "missed" }));
    expect(textsTo(caller)).toEqual([]);
  });

  it("keeps each run with its window and counts for health, and the error of one Twilio refused", async () => {
    logForwardedCall(twilioApi, config, { dialed: { status: "completed", duration: 30 }, endedSecondsAgo: 5 * 60 });
    const report = await reconcile();
    const db = await getDatabase();
    const run = await readLastReconcileRun(db);
    expect(run).toEqual(
      expect.objectContaining({ windowStart: expect.any(Date), windowEnd: expect.any(Date), finishedAt: expect.any(Date), error: null }),
    );
    expect(report).toEqual({ window: { from: run!.windowStart.toISOString(), to: run!.windowEnd.toISOString() }, counts: run!.counts });
    expect(run!.windowEnd.getTime() - run!.windowStart.getTime()).toBe(TWO_HOURS);

    vi.stubEnv("TWILIO_AUTH_TOKEN", "a-rotated-token");
    await expect(reconcile()).rejects.toThrow("Authenticate");
    vi.unstubAllEnvs();
    expect(await readLastReconcileRun(db)).toEqual(expect.objectContaining({ id: run!.id + 1, error: expect.stringContaining("Authenticate") }));
  });

  it("says so, and does nothing, without a Twilio account", async () => {
    vi.stubEnv("TWILIO_ACCOUNT_SID", "");
    const db = await getDatabase();
    const last = await readLastReconcileRun(db);
    try {
      expect(await reconcile()).toEqual({ skipped: "TWILIO_ACCOUNT_SID is not set, so there are no Twilio logs to reconcile" });
    } finally {
      vi.unstubAllEnvs();
    }
    expect(await readLastReconcileRun(db)).toEqual(last);
    expect(twilioApi.listRequests).toEqual([]);
  });
});
