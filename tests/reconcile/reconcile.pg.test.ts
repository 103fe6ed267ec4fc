// On PostgreSQL: `npm run reconcile` end to end against the Twilio stand-in on a real port, and
// two reconciliations at once (the cron run and the command overlapping).
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { TrackingNumberConfig } from "@/lib/config/tracking-number-config";
import { getDatabase } from "@/lib/db/get-database";
import { reconcileFromTwilio } from "@/lib/reconcile/reconcile-from-twilio";
import { rowCounts } from "../support/row-counts";
import { runReconcile } from "../support/run-command";
import { serveStandIn, type RunningStandIn } from "../support/stand-ins/serve-stand-in";
import { twilioApiStandIn } from "../support/stand-ins/twilio-api";
import { addTrackingNumber } from "../support/tracking-numbers";
import { logForwardedCall, logInboundText } from "../support/twilio-logs";

const env = process.env as Record<string, string>;
const twilioApi = twilioApiStandIn({ accountSid: env.TWILIO_ACCOUNT_SID, authToken: env.TWILIO_AUTH_TOKEN });

let served: RunningStandIn;
let config: TrackingNumberConfig;
beforeAll(async () => {
  served = await serveStandIn(twilioApi.handle);
  config = await addTrackingNumber({ textBackMessage: "Sorry we missed you! Text us here." });
});
afterEach(() => {
  twilioApi.reset();
  vi.unstubAllEnvs();
});
afterAll(() => served.close());

const commandEnv = () => ({
  DATABASE_URL: env.DATABASE_URL,
  PUBLIC_BASE_URL: env.PUBLIC_BASE_URL,
  TWILIO_ACCOUNT_SID: env.TWILIO_ACCOUNT_SID,
  TWILIO_AUTH_TOKEN: env.TWILIO_AUTH_TOKEN,
  TWILIO_API_URL: served.url,
});

describe("npm run reconcile on PostgreSQL", () => {
  it("back-fills the window through the real twilio client, prints the report, and changes nothing the second time", async () => {
    twilioApi.limitPageSize(1);
    const missed = logForwardedCall(twilioApi, config, { dialed: { status: "no-answer", duration: 0 }, endedSecondsAgo: 10 * 60 });
    const answered = logForwardedCall(twilioApi, config, { dialed: { status: "completed", duration: 75 }, endedSecondsAgo: 150 * 60 });
    const text = logInboundText(twilioApi, config.trackingNumber, { body: "Are you open on Saturday?", sentSecondsAgo: 100 * 60 });
    const before = await rowCounts();

    const run = await runReconcile(["--since", "3h"], { env: commandEnv() });

    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      window: { from: expect.any(String), to: expect.any(String) },
      counts: { callsSeen: 2, callsBackfilled: 2, outcomesSettled: 2, textsSeen: 1, textsBackfilled: 1, textBacksSent: 1, textBacksTooLate: 0, skipped: 0, usageAdded: 0, pricesFilled: 0, numberDays: 1 },
    });
    expect(twilioApi.sent).toEqual([expect.objectContaining({ to: missed.from, from: config.trackingNumber })]);
    const db = await getDatabase();
    expect(await db.query("select call_sid, outcome from public.calls where call_sid = any($1) order by started_at", [[missed.callSid, answered.callSid]])).toEqual([
      { call_sid: answered.callSid, outcome: "answered" },
      { call_sid: missed.callSid, outcome: "missed" },
    ]);
    expect(await db.query("select body from public.messages where message_sid = $1", [text.messageSid])).toEqual([{ body: "Are you open on Saturday?" }]);
    const after = await rowCounts();
    expect(after.calls - before.calls).toBe(2);

    const again = await runReconcile(["--since=3h"], { env: commandEnv() });

    expect(again.exitCode).toBe(0);
    expect(JSON.parse(again.stdout).counts).toEqual(expect.objectContaining({ callsBackfilled: 0, outcomesSettled: 0, textsBackfilled: 0, textBacksSent: 0 }));
    expect(await rowCounts()).toEqual(after);
    expect(twilioApi.sent).toHaveLength(1);
  });

  it("lets two runs at once back-fill each call and text once, and text each missed caller once", async () => {
    vi.stubEnv("TWILIO_API_URL", served.url);
    const calls = [1, 2, 3].map((minutes) => logForwardedCall(twilioApi, config, { dialed: { status: "busy", duration: 0 }, endedSecondsAgo: (5 + minutes) * 60 }));
    const text = logInboundText(twilioApi, config.trackingNumber, { body: "Hello?", sentSecondsAgo: 4 * 60 });
    const before = await rowCounts();

    const reports = await Promise.all([reconcileFromTwilio({ sinceMs: 60 * 60_000 }), reconcileFromTwilio({ sinceMs: 60 * 60_000 })]);

    const total = (count: "callsBackfilled" | "textsBackfilled" | "textBacksSent") =>
      reports.reduce((sum, report) => sum + ("counts" in report ? report.counts[count] : 0), 0);
    expect([total("callsBackfilled"), total("textsBackfilled"), total("textBacksSent")]).toEqual([3, 1, 3]);
    expect(twilioApi.sent.map((sent) => sent.to).sort()).toEqual(calls.map((call) => call.from).sort());
    const after = await rowCounts();
    expect({ calls: after.calls - before.calls, messages: after.messages - before.messages, text_backs: after.text_backs - before.text_backs }).toEqual({
      calls: 3,
      messages: 1 + 3,
      text_backs: 3,
    });
    const db = await getDatabase();
    const jobs = await db.query<{ event_key: string }>("select event_key from internal.outbox where event_key = any($1)", [
      [text.messageSid, ...calls.flatMap((call) => [call.callSid, `${call.callSid}:outcome`])],
    ]);
    expect(jobs).toHaveLength(7);
  });
});
