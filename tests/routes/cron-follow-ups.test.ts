import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { GET } from "@/app/api/cron/follow-ups/route";
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
    expect(await response.json()).toMatchObject({ dueCalls: { abandoned: 1, textsQueued: 1 } });
    const again = await GET(cronRequest("Bearer cron-secret-123"));
    expect(await again.json()).toMatchObject({ dueCalls: { abandoned: 0, textsQueued: 0 } });

    const outcomes = await db.query("select call_sid, outcome, missed_reason from public.calls where call_sid = any($1) order by outcome", [
      [call.CallSid, notYetDue.CallSid],
    ]);
    expect(outcomes).toEqual([
      { call_sid: call.CallSid, outcome: "missed", missed_reason: "abandoned" },
      { call_sid: notYetDue.CallSid, outcome: null, missed_reason: null },
    ]);
    expect(twilioApi.sent.map((text) => text.to)).toEqual([call.From]);
  });
});
