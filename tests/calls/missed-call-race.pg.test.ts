// The <Dial> action and the parent call's status callback arrive almost together, in either
// order, or at the same instant. Whatever the order, the call is decided the same way: the dial
// outcome when there is one, "abandoned" only when there is none, and a text only for a missed call.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { POST as status } from "@/app/api/twilio/status/route";
import { POST as voice } from "@/app/api/twilio/voice/route";
import { runCallFollowUps } from "@/lib/calls/run-call-follow-ups";
import type { TrackingNumberConfig } from "@/lib/config/tracking-number-config";
import { getDatabase } from "@/lib/db/get-database";
import { settleDeferredWork } from "../support/deferred-work";
import { useRemoteServices } from "../support/remote-services";
import { addTrackingNumber, phoneNumber } from "../support/tracking-numbers";
import { sid, twilioRequest } from "../support/twilio-webhook";

const { twilioApi } = useRemoteServices();

let config: TrackingNumberConfig;
beforeAll(async () => {
  config = await addTrackingNumber({ textBackMessage: "Sorry we missed you! Text us here." });
});

type Call = { CallSid: string; From: string; To: string };

const newCall = (): Call => ({ CallSid: sid("CA"), From: phoneNumber(), To: config.trackingNumber });

async function postVoice(call: Call): Promise<void> {
  const response = await voice(twilioRequest("/api/twilio/voice", { ...call, CallStatus: "ringing" }));
  expect(await response.text()).toContain("<Dial");
}

async function postDial(call: Call, dial: Record<string, string>): Promise<string> {
  const response = await status(twilioRequest("/api/twilio/status?event=dial", { ...call, CallStatus: "in-progress", ...dial }));
  expect(response.status).toBe(200);
  return response.text();
}

async function postStatus(call: Call, callStatus = "completed", duration = "50"): Promise<void> {
  const response = await status(twilioRequest("/api/twilio/status", { ...call, CallStatus: callStatus, CallDuration: duration }));
  expect(response.status).toBe(200);
}

/** The callbacks' own after() work, then the scheduled floor, which must find nothing left to do. */
async function settleEverything(): Promise<void> {
  await settleDeferredWork();
  await runCallFollowUps();
  await settleDeferredWork();
}

const textsTo = (caller: string) => twilioApi.sent.filter((message) => message.to === caller);

async function whatHappenedTo(call: Call) {
  const db = await getDatabase();
  const calls = await db.query<{ outcome: string | null; missed_reason: string | null; status: string; lead_id: string }>(
    "select outcome, missed_reason, status, lead_id from public.calls where call_sid = $1",
    [call.CallSid],
  );
  const leads = await db.query<{ id: string }>("select id from public.leads where client_id = $1 and caller = $2", [config.clientId, call.From]);
  const jobs = await db.query<{ event_key: string }>("select event_key from internal.outbox where lead_id = $1 order by event_key", [leads[0]?.id]);
  return {
    calls: calls.map(({ lead_id, ...call }) => ({ ...call, lead: lead_id === leads[0]?.id })),
    leads: leads.length,
    pipelineJobs: jobs.map((job) => job.event_key),
    texts: textsTo(call.From).map((text) => ({ from: text.from, body: text.body })),
  };
}

type Decision = { outcome: string; missedReason: string | null };
type Kind = Decision & { name: string; dial: Record<string, string> };

const KINDS: Kind[] = [
  {
    name: "answered",
    dial: { DialCallStatus: "completed", DialBridged: "true", DialCallDuration: "45" },
    outcome: "answered",
    missedReason: null,
  },
  { name: "no-answer", dial: { DialCallStatus: "no-answer", DialBridged: "false" }, outcome: "missed", missedReason: "no-answer" },
  { name: "busy", dial: { DialCallStatus: "busy", DialBridged: "false" }, outcome: "missed", missedReason: "busy" },
  {
    name: "answered for 6 s (voicemail pickup)",
    dial: { DialCallStatus: "completed", DialBridged: "true", DialCallDuration: "6" },
    outcome: "missed",
    missedReason: "too-short",
  },
  {
    name: "abandoned while ringing, with a dial action that has no DialCallStatus",
    dial: { CallStatus: "completed" },
    outcome: "missed",
    missedReason: "abandoned",
  },
];

type Order = (call: Call, dial: Record<string, string>) => Promise<unknown>;

const ORDERS: [string, Order][] = [
  [
    "dial action, then status callback",
    async (call, dial) => {
      await postDial(call, dial);
      await postStatus(call);
    },
  ],
  [
    "status callback, then dial action",
    async (call, dial) => {
      await postStatus(call);
      await postDial(call, dial);
    },
  ],
  ...[1, 2, 3].map((attempt): [string, Order] => [
    `both at the same instant (#${attempt})`,
    (call, dial) => Promise.all([postDial(call, dial), postStatus(call)]),
  ]),
];

/** One call row on one lead, both queued for the pipeline, the expected outcome, and a text only if missed. */
async function expectDecided(call: Call, decision: Decision, label = ""): Promise<void> {
  const happened = await whatHappenedTo(call);
  expect(happened.calls, label).toEqual([{ outcome: decision.outcome, missed_reason: decision.missedReason, status: "completed", lead: true }]);
  expect(happened.leads, label).toBe(1);
  expect(happened.pipelineJobs, label).toEqual(expect.arrayContaining([call.CallSid, `${call.CallSid}:outcome`]));
  expect(happened.texts, label).toEqual(
    decision.outcome === "missed" ? [{ from: config.trackingNumber, body: "Sorry we missed you! Text us here." }] : [],
  );
}

describe("a call is decided the same whatever order its callbacks arrive in", () => {
  // Each kind's orders run side by side, so the seconds the abandoned decision waits pass once.
  it.each(KINDS)("$name", async (kind) => {
    const runs = ORDERS.map(([order, run]) => ({ order, run, call: newCall() }));
    for (const { call } of runs) await postVoice(call);
    await settleDeferredWork();

    await Promise.all(runs.map(({ run, call }) => run(call, kind.dial)));
    await settleEverything();

    for (const { order, call } of runs) await expectDecided(call, kind, order);
  });

  it("closes a call with no dial action at all as abandoned once the wait is over, and texts once", async () => {
    const alone = newCall();
    const repeated = newCall();
    for (const call of [alone, repeated]) await postVoice(call);
    await settleDeferredWork();

    await Promise.all([postStatus(alone), postStatus(repeated), postStatus(repeated)]);
    const db = await getDatabase();
    expect(await db.query("select outcome from public.calls where call_sid = any($1)", [[alone.CallSid, repeated.CallSid]])).toEqual([
      { outcome: null },
      { outcome: null },
    ]);
    await settleEverything();

    for (const call of [alone, repeated]) await expectDecided(call, { outcome: "missed", missedReason: "abandoned" });
  });
});

describe("a status callback that arrives before the voice webhook's write", () => {
  const KINDS_WITHOUT_A_ROW: [string, Record<string, string> | undefined, Decision][] = [
    ["no dial action", undefined, { outcome: "missed", missedReason: "abandoned" }],
    ["answered", { DialCallStatus: "completed", DialBridged: "true", DialCallDuration: "40" }, { outcome: "answered", missedReason: null }],
  ];

  it.each(KINDS_WITHOUT_A_ROW)("logs the call completed with its duration, and the late write keeps it so (%s)", async (_, dial, decided) => {
    const call = newCall();
    const rang = new Date(Date.now() - 45_000);
    await postStatus(call, "completed", "42");
    if (dial) await postDial(call, dial);
    const db = await getDatabase();
    const [logged] = await db.query<{ status: string; duration_seconds: number; ended_at: Date }>(
      "select status, duration_seconds, ended_at from public.calls where call_sid = $1",
      [call.CallSid],
    );
    expect(logged).toMatchObject({ status: "completed", duration_seconds: 42 });

    // Twilio asked the voice webhook first; its write only now lands.
    vi.useFakeTimers({ toFake: ["Date"], now: rang });
    await postVoice(call);
    vi.useRealTimers();
    await settleEverything();

    expect(
      await db.query("select status, duration_seconds, started_at, ended_at from public.calls where call_sid = $1", [call.CallSid]),
    ).toEqual([{ status: "completed", duration_seconds: 42, started_at: rang, ended_at: logged.ended_at }]);
    await expectDecided(call, decided);
  });
});

describe("a dial action whose write fails", () => {
  it("is written again after the answer, before the abandoned decision is due: an answered caller gets no text", async () => {
    const call = newCall();
    await postVoice(call);
    await settleDeferredWork();

    await postStatus(call);
    const db = await getDatabase();
    vi.spyOn(db, "transaction").mockRejectedValueOnce(new Error("Connection terminated unexpectedly"));
    const twiml = await postDial(call, { DialCallStatus: "completed", DialBridged: "true", DialCallDuration: "60", DialCallSid: sid("CA") });
    vi.restoreAllMocks();
    expect(twiml).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    await settleEverything();

    await expectDecided(call, { outcome: "answered", missedReason: null });
  });
});
