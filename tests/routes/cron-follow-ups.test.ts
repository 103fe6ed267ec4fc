import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { GET } from "@/app/api/cron/follow-ups/route";
import { POST as status } from "@/app/api/twilio/status/route";
import { POST as voice } from "@/app/api/twilio/voice/route";
import type { TrackingNumberConfig } from "@/lib/config/tracking-number-config";
import { getDatabase } from "@/lib/db/get-database";
import { settleDeferredWork } from "../support/deferred-work";
import { useRemoteServices } from "../support/remote-services";
import { addTrackingNumber, phoneNumber } from "../support/tracking-numbers";
import { sid, twilioRequest } from "../support/twilio-webhook";

const { twilioApi } = useRemoteServices();

let config: TrackingNumberConfig;
beforeAll(async () => {
  config = await addTrackingNumber();
});

afterEach(() => vi.unstubAllEnvs());

const cronRequest = (authorization?: string) =>
  new Request("http://10.0.0.7:8080/api/cron/follow-ups", { headers: authorization ? { authorization } : {} });

describe("GET /api/cron/follow-ups", () => {
  it.each([undefined, "Bearer wrong-secret"])("refuses Authorization %j", async (authorization) => {
    vi.stubEnv("CRON_SECRET", "cron-secret-123");
    expect((await GET(cronRequest(authorization))).status).toBe(401);
  });

  it("closes a call whose status callback's process died before the abandoned decision, and texts the caller once", async () => {
    const call = { CallSid: sid("CA"), From: phoneNumber(), To: config.trackingNumber };
    await voice(twilioRequest("/api/twilio/voice", { ...call, CallStatus: "ringing" }));
    await settleDeferredWork();
    const db = await getDatabase();
    // What the status callback leaves behind when nothing runs after its answer.
    await db.query("update public.calls set status = 'completed', outcome_due_at = now() - interval '1 second' where call_sid = $1", [call.CallSid]);
    const notYetDue = { CallSid: sid("CA"), From: phoneNumber(), To: config.trackingNumber };
    await voice(twilioRequest("/api/twilio/voice", { ...notYetDue, CallStatus: "ringing" }));
    await settleDeferredWork();
    await db.query("update public.calls set status = 'completed', outcome_due_at = now() + interval '1 minute' where call_sid = $1", [
      notYetDue.CallSid,
    ]);

    vi.stubEnv("CRON_SECRET", "cron-secret-123");
    const response = await GET(cronRequest("Bearer cron-secret-123"));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ dueCalls: { missed: 1, answered: 0, textsQueued: 1 } });
    const again = await GET(cronRequest("Bearer cron-secret-123"));
    expect(await again.json()).toMatchObject({ dueCalls: { missed: 0, textsQueued: 0 } });

    const outcomes = await db.query("select call_sid, outcome, missed_reason from public.calls where call_sid = any($1) order by outcome", [
      [call.CallSid, notYetDue.CallSid],
    ]);
    expect(outcomes).toEqual([
      { call_sid: call.CallSid, outcome: "missed", missed_reason: "abandoned" },
      { call_sid: notYetDue.CallSid, outcome: null, missed_reason: null },
    ]);
    expect(twilioApi.sent.map((text) => text.to)).toEqual([call.From]);
  });

  it("settles an answered call whose dial action was lost from Twilio's log of the forwarded leg, and texts nobody", async () => {
    const answered = await callWhoseDialOutcomeWasLost();
    const shortPickup = await callWhoseDialOutcomeWasLost();
    logLegs(answered, { status: "completed", duration: 95 });
    logLegs(shortPickup, { status: "completed", duration: 4 });

    const response = await GET(cronRequest("Bearer cron-secret-123"));
    expect(await response.json()).toMatchObject({ dueCalls: { answered: 1, missed: 1, waiting: 0, textsQueued: 1 } });
    expect(await outcomes([answered.CallSid, shortPickup.CallSid])).toEqual([
      { call_sid: answered.CallSid, outcome: "answered", missed_reason: null, dial_duration_seconds: 95 },
      { call_sid: shortPickup.CallSid, outcome: "missed", missed_reason: "too-short", dial_duration_seconds: 4 },
    ]);
    expect(twilioApi.sent.map((text) => text.to)).toEqual([shortPickup.From]);
  });

  it("waits while Twilio's log cannot be read, then settles from it once it can", async () => {
    const call = await callWhoseDialOutcomeWasLost();
    logLegs(call, { status: "completed", duration: 60 });
    twilioApi.logsDown();
    expect(await (await GET(cronRequest("Bearer cron-secret-123"))).json()).toMatchObject({ dueCalls: { waiting: 1, missed: 0, answered: 0 } });
    expect(await outcomes([call.CallSid])).toEqual([{ call_sid: call.CallSid, outcome: null, missed_reason: null, dial_duration_seconds: null }]);

    twilioApi.logsUp();
    const db = await getDatabase();
    await db.query("update public.calls set outcome_due_at = now() - interval '1 second' where call_sid = $1", [call.CallSid]);
    expect(await (await GET(cronRequest("Bearer cron-secret-123"))).json()).toMatchObject({ dueCalls: { answered: 1 } });
    expect(twilioApi.sent).toEqual([]);
  });

  it("lets a status callback settle its own call only, leaving other due calls to the scheduled run", async () => {
    const other = await callWhoseDialOutcomeWasLost();
    const own = { CallSid: sid("CA"), From: phoneNumber(), To: config.trackingNumber };
    await voice(twilioRequest("/api/twilio/voice", { ...own, CallStatus: "ringing" }));
    await status(twilioRequest("/api/twilio/status", { ...own, CallStatus: "completed", CallDuration: "12" }));
    await settleDeferredWork();

    expect(await outcomes([own.CallSid, other.CallSid])).toEqual([
      { call_sid: other.CallSid, outcome: null, missed_reason: null, dial_duration_seconds: null },
      { call_sid: own.CallSid, outcome: "missed", missed_reason: "abandoned", dial_duration_seconds: null },
    ]);
    expect(await (await GET(cronRequest("Bearer cron-secret-123"))).json()).toMatchObject({ dueCalls: { missed: 1 } });
  });

  it("counts a call as missed when Twilio's log still cannot be read 10 minutes after it ended", async () => {
    const call = await callWhoseDialOutcomeWasLost();
    twilioApi.logsDown();
    const db = await getDatabase();
    await db.query("update public.calls set ended_at = now() - interval '11 minutes' where call_sid = $1", [call.CallSid]);
    expect(await (await GET(cronRequest("Bearer cron-secret-123"))).json()).toMatchObject({ dueCalls: { missed: 1, textsQueued: 1 } });
    expect(await outcomes([call.CallSid])).toEqual([{ call_sid: call.CallSid, outcome: "missed", missed_reason: "abandoned", dial_duration_seconds: null }]);
  });
});

/** A call whose status callback marked it due, while its <Dial> action never reached the database. */
async function callWhoseDialOutcomeWasLost(): Promise<{ CallSid: string; From: string; To: string }> {
  vi.stubEnv("CRON_SECRET", "cron-secret-123");
  const call = { CallSid: sid("CA"), From: phoneNumber(), To: config.trackingNumber };
  await voice(twilioRequest("/api/twilio/voice", { ...call, CallStatus: "ringing" }));
  await settleDeferredWork();
  await (await getDatabase()).query(
    "update public.calls set status = 'completed', ended_at = now(), outcome_due_at = now() - interval '1 second' where call_sid = $1",
    [call.CallSid],
  );
  return call;
}

function logLegs(call: { CallSid: string; From: string; To: string }, leg: { status: "completed" | "no-answer" | "busy"; duration: number }): void {
  const endTime = new Date();
  const startTime = new Date(endTime.getTime() - (leg.duration + 8) * 1000);
  twilioApi.addCall({ sid: call.CallSid, from: call.From, to: call.To, status: "completed", direction: "inbound", startTime, endTime, duration: leg.duration + 8 });
  twilioApi.addCall({
    sid: sid("CA"),
    parentCallSid: call.CallSid,
    from: call.From,
    to: config.primaryNumber,
    status: leg.status,
    direction: "outbound-dial",
    startTime: new Date(startTime.getTime() + 8000),
    endTime,
    duration: leg.duration,
  });
}

async function outcomes(callSids: string[]) {
  return (await getDatabase()).query(
    "select call_sid, outcome, missed_reason, dial_duration_seconds from public.calls where call_sid = any($1) order by outcome nulls first, call_sid",
    [callSids],
  );
}
