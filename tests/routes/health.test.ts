// GET /api/health is what an uptime monitor reads: each part of it must move when the thing it
// reports moves, and it must never show a phone number or a secret.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { GET } from "@/app/api/health/route";
import { pauseBaseForPlanLimit } from "@/lib/airtable/airtable-pace";
import { getDatabase } from "@/lib/db/get-database";
import { finishReconcileRun, startReconcileRun, emptyReconcileCounts } from "@/lib/reconcile/reconcile-runs";
import { useRemoteServices } from "../support/remote-services";
import { placeCall, sendText } from "../support/simulated-contacts";
import { addTrackingNumber, phoneNumber } from "../support/tracking-numbers";

useRemoteServices();

type HealthBody = {
  ok: boolean;
  database: { status: string; kind: string };
  configSyncedAt: string | null;
  reconciledAt: string | null;
  reconcile: { counts: Record<string, number>; failed: boolean } | null;
  outbox: { pending: number; dead: number; oldestPendingSeconds: number | null };
  airtable: { ok: boolean; pausedUntil: string | null; planLimitedUntil: string | null };
  textBacks: { stuck: number };
};

async function health(): Promise<{ status: number; body: HealthBody; text: string }> {
  const response = await GET();
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as HealthBody, text };
}

afterEach(() => vi.unstubAllEnvs());

beforeEach(async () => {
  const db = await getDatabase();
  await db.query("update internal.outbox set status = 'delivered' where status <> 'delivered'");
  await db.query("update internal.airtable_pace set paused_until = null, plan_limited_until = null");
  await db.query("update internal.text_backs set status = 'sent' where status in ('pending', 'sending')");
});

describe("GET /api/health", () => {
  it("answers 200 with every part when all is well, and shows no phone number or secret", async () => {
    const config = await addTrackingNumber({ clientId: "health-client" });
    const caller = phoneNumber();
    await placeCall(config.trackingNumber, caller, "missed");
    await sendText(config.trackingNumber, caller, "Are you open today?");
    await (await getDatabase()).query("update internal.outbox set created_at = now() - interval '30 seconds' where status = 'pending'");

    const { status, body, text } = await health();
    expect(status).toBe(200);
    expect(body.ok).toBe(true);
    expect(body.database).toEqual({ status: "ok", kind: "embedded" });
    expect(Date.parse(body.configSyncedAt!)).toBeGreaterThan(Date.now() - 60_000);
    expect(body.outbox.pending).toBeGreaterThan(0);
    expect(body.outbox.oldestPendingSeconds).toBeGreaterThanOrEqual(30);
    expect(body.airtable).toEqual({ ok: true, pausedUntil: null, planLimitedUntil: null });
    expect(body.textBacks).toEqual({ stuck: 0 });

    expect(text).not.toMatch(/\+?\d{10,}/);
    for (const secret of [process.env.TWILIO_AUTH_TOKEN!, process.env.AIRTABLE_TOKEN!, process.env.TWILIO_ACCOUNT_SID!]) expect(text).not.toContain(secret);
    for (const number of [config.trackingNumber, config.primaryNumber, caller]) expect(text).not.toContain(number.slice(2));
  });

  it("answers 503 once the oldest pending pipeline job is older than 15 minutes", async () => {
    const config = await addTrackingNumber({ clientId: "health-behind" });
    await placeCall(config.trackingNumber, phoneNumber(), "answered");
    const db = await getDatabase();
    await db.query("update internal.outbox set created_at = now() - interval '14 minutes' where status = 'pending'");
    expect((await health()).status).toBe(200);

    await db.query("update internal.outbox set created_at = now() - interval '16 minutes' where status = 'pending'");
    const { status, body } = await health();
    expect(status).toBe(503);
    expect(body.ok).toBe(false);
    expect(body.database.status).toBe("ok");
    expect(body.outbox.oldestPendingSeconds).toBeGreaterThanOrEqual(16 * 60);
  });

  it("stays 200 with old pending jobs when Airtable is not configured, since they wait on purpose", async () => {
    const config = await addTrackingNumber({ clientId: "health-no-airtable" });
    await placeCall(config.trackingNumber, phoneNumber(), "answered");
    await (await getDatabase()).query("update internal.outbox set created_at = now() - interval '1 hour' where status = 'pending'");
    vi.stubEnv("AIRTABLE_TOKEN", "");
    vi.stubEnv("AIRTABLE_BASE_ID", "");

    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body.outbox.oldestPendingSeconds).toBeGreaterThanOrEqual(3600);
  });

  it("counts dead jobs, shows Airtable's plan limit, and counts text-backs stuck for minutes", async () => {
    const config = await addTrackingNumber({ clientId: "health-parts" });
    await placeCall(config.trackingNumber, phoneNumber(), "missed");
    const db = await getDatabase();
    await db.query("update internal.outbox set status = 'dead' where status = 'pending'");
    await db.query(
      `insert into internal.airtable_pace (base_id) values ($1) on conflict (base_id) do nothing`,
      [process.env.AIRTABLE_BASE_ID],
    );
    await pauseBaseForPlanLimit(db, process.env.AIRTABLE_BASE_ID!);
    const caller = phoneNumber();
    await db.query(
      `insert into internal.text_backs (call_sid, client_id, caller, from_number, body, status, updated_at)
       values ($1, $2, $3, $4, 'Sorry we missed you', 'sending', now() - interval '10 minutes')`,
      [`CA${"7".repeat(32)}`, config.clientId, caller, config.trackingNumber],
    );

    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body.outbox.dead).toBeGreaterThan(0);
    expect(body.airtable.ok).toBe(false);
    expect(Date.parse(body.airtable.planLimitedUntil!)).toBeGreaterThan(Date.now());
    expect(body.textBacks.stuck).toBe(1);
  });

  it("shows when reconciliation last finished", async () => {
    const db = await getDatabase();
    const end = new Date();
    const run = await startReconcileRun(db, { start: new Date(end.getTime() - 2 * 3600_000), end });
    await finishReconcileRun(db, run, { ...emptyReconcileCounts(), callsSeen: 3, callsBackfilled: 1 });

    const { body } = await health();
    expect(Date.parse(body.reconciledAt!)).toBeGreaterThan(Date.now() - 60_000);
    expect(body.reconcile).toMatchObject({ counts: { callsSeen: 3, callsBackfilled: 1 }, failed: false });

    const failing = await startReconcileRun(db, { start: new Date(end.getTime() - 3600_000), end });
    await finishReconcileRun(db, failing, emptyReconcileCounts(), "connect ECONNREFUSED db.internal.example:5432");
    const { text } = await health();
    expect(JSON.parse(text).reconcile).toMatchObject({ failed: true });
    expect(text).not.toContain("db.internal.example");
  });
});
