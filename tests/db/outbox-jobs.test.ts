import { beforeAll, describe, expect, it } from "vitest";
import { recordInboundCall } from "@/lib/calls/record-inbound-call";
import type { TrackingNumberConfig } from "@/lib/config/tracking-number-config";
import { getDatabase } from "@/lib/db/get-database";
import { pauseBase, takePaceSlot } from "@/lib/outbox/airtable-pace";
import { claimDueJobs, listDeadJobs, MAX_ATTEMPTS, recordFailedAttempt, retryDeadJobs } from "@/lib/outbox/outbox-jobs";
import { addTrackingNumber, phoneNumber } from "../support/tracking-numbers";
import { sid } from "../support/twilio-webhook";

let config: TrackingNumberConfig;
beforeAll(async () => {
  config = await addTrackingNumber({ clientId: "outbox-client" });
});

const uniqueBase = () => `appPace${String(Date.now()).slice(-6)}${Math.floor(Math.random() * 1e4).toString().padStart(4, "0")}`.slice(0, 17);

describe("the shared pace per Airtable base", () => {
  it("hands out slots 280 ms apart, the first at once", async () => {
    const db = await getDatabase();
    const base = uniqueBase();
    const waits = [];
    for (let i = 0; i < 4; i += 1) waits.push((await takePaceSlot(db, base)).waitMs);
    expect(waits[0]).toBe(0);
    for (let i = 1; i < 4; i += 1) expect(waits[i] - waits[i - 1]).toBeGreaterThanOrEqual(270);
    expect(waits[3]).toBeGreaterThanOrEqual(800);
  });

  it("keeps each base's pace its own", async () => {
    const db = await getDatabase();
    await takePaceSlot(db, uniqueBase());
    expect(await takePaceSlot(db, uniqueBase())).toEqual({ granted: true, waitMs: 0 });
  });

  it("gives no slot before a 429 pause is over", async () => {
    const db = await getDatabase();
    const base = uniqueBase();
    await takePaceSlot(db, base);
    await pauseBase(db, base, 30_000);
    expect((await takePaceSlot(db, base)).waitMs).toBeGreaterThanOrEqual(29_000);
  });

  it("takes no slot beyond the caller's longest wait, so asking during a pause does not push the pace out", async () => {
    const db = await getDatabase();
    const base = uniqueBase();
    await takePaceSlot(db, base);
    await pauseBase(db, base, 10_000);
    for (let ask = 0; ask < 50; ask += 1) expect((await takePaceSlot(db, base, { maxWaitMs: 2000 })).granted).toBe(false);
    const [pace] = await db.query<{ ahead_ms: number }>(
      "select (extract(epoch from (next_slot_at - now())) * 1000)::int as ahead_ms from internal.airtable_pace where base_id = $1",
      [base],
    );
    expect(pace.ahead_ms).toBeLessThanOrEqual(10_500);
  });
});

describe("outbox jobs", () => {
  async function queuedJob(): Promise<number> {
    const db = await getDatabase();
    const callSid = sid("CA");
    await recordInboundCall(db, config, { CallSid: callSid, From: phoneNumber(), To: config.trackingNumber });
    const [job] = await db.query<{ id: number }>("select id::int as id from internal.outbox where event_key = $1", [callSid]);
    return job.id;
  }

  it("are claimed by one drainer only while the claim lasts", async () => {
    const db = await getDatabase();
    const job = await queuedJob();
    expect((await claimDueJobs(db, 1000)).map((claimed) => claimed.id)).toContain(job);
    expect((await claimDueJobs(db, 1000)).map((claimed) => claimed.id)).not.toContain(job);
    await db.query("update internal.outbox set claimed_until = now() - interval '1 second' where id = $1", [job]);
    expect((await claimDueJobs(db, 1000)).map((claimed) => claimed.id)).toContain(job);
  });

  it("back off after a failure, go dead keeping the last error after the last attempt, and can be retried", async () => {
    const db = await getDatabase();
    const job = await queuedJob();
    await recordFailedAttempt(db, [job], "503 SERVICE_UNAVAILABLE: try later");
    const [backedOff] = await db.query<{ status: string; waits: boolean }>(
      "select status, run_after > now() as waits from internal.outbox where id = $1",
      [job],
    );
    expect(backedOff).toEqual({ status: "pending", waits: true });

    for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt += 1) await recordFailedAttempt(db, [job], `422 INVALID_VALUE_FOR_COLUMN: attempt ${attempt}`);
    expect(await db.query("select status, attempts, last_error from internal.outbox where id = $1", [job])).toEqual([
      { status: "dead", attempts: MAX_ATTEMPTS, last_error: `422 INVALID_VALUE_FOR_COLUMN: attempt ${MAX_ATTEMPTS}` },
    ]);
    expect((await claimDueJobs(db, 1000)).map((claimed) => claimed.id)).not.toContain(job);
    expect(await listDeadJobs(db)).toContainEqual(
      expect.objectContaining({ id: job, lead_key: expect.stringMatching(/^outbox-client:\+1/), last_error: `422 INVALID_VALUE_FOR_COLUMN: attempt ${MAX_ATTEMPTS}` }),
    );

    expect(await retryDeadJobs(db, [job])).toBe(1);
    expect((await claimDueJobs(db, 1000)).map((claimed) => claimed.id)).toContain(job);
  });
});
