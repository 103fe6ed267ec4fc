import { afterEach, describe, expect, it, vi } from "vitest";
import { GET } from "@/app/api/cron/reconcile/route";
import { getDatabase } from "@/lib/db/get-database";
import { useRemoteServices } from "../support/remote-services";
import { addTrackingNumber } from "../support/tracking-numbers";
import { logForwardedCall } from "../support/twilio-logs";

const { twilioApi } = useRemoteServices();

const cronRequest = (authorization?: string) =>
  new Request("http://10.0.0.7:8080/api/cron/reconcile", { headers: authorization ? { authorization } : {} });

afterEach(() => vi.unstubAllEnvs());

describe("GET /api/cron/reconcile", () => {
  it.each([undefined, "Bearer wrong-secret"])("refuses Authorization %j and reads no log", async (authorization) => {
    vi.stubEnv("CRON_SECRET", "cron-secret-123");
    const response = await GET(cronRequest(authorization));
    expect(response.status).toBe(401);
    expect(twilioApi.listRequests).toEqual([]);
  });

  it("reconciles the last 2 hours for Vercel Cron's bearer secret and answers the report", async () => {
    vi.stubEnv("CRON_SECRET", "cron-secret-123");
    const config = await addTrackingNumber();
    const call = logForwardedCall(twilioApi, config, { dialed: { status: "completed", duration: 60 }, endedSecondsAgo: 90 * 60 });

    const response = await GET(cronRequest("Bearer cron-secret-123"));

    expect(response.status).toBe(200);
    const report = await response.json();
    expect(report.counts).toEqual(expect.objectContaining({ callsSeen: 1, callsBackfilled: 1, outcomesSettled: 1 }));
    expect(Date.parse(report.window.to) - Date.parse(report.window.from)).toBe(2 * 60 * 60_000);
    const db = await getDatabase();
    expect(await db.query("select outcome from public.calls where call_sid = $1", [call.callSid])).toEqual([{ outcome: "answered" }]);
  });
});
