import { beforeAll, describe, expect, it } from "vitest";
import { recordInboundCall } from "@/lib/calls/record-inbound-call";
import type { TrackingNumberConfig } from "@/lib/config/tracking-number-config";
import { getDatabase } from "@/lib/db/get-database";
import { pauseBase, pauseBaseForPlanLimit, recordBaseAnswered, takePaceSlot } from "@/lib/airtable/airtable-pace";
import { readAirtableHealth } from "@/lib/airtable/read-airtable-health";
import { claimDueJobs, listDeadJobs, MAX_ATTEMPTS, recordFailedAttempt, releaseLeads, retryDeadJobs } from "@/lib/outbox/outbox-jobs";
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
    const slots = [];
    for (let i = 0; i < 4; i += 1) {
      waits.push((await takePaceSlot(db, base)).waitMs);
      const [pace] = await db.query<{ slot_ms: number }>("select (extract(epoch from next_slot_at) * 1000 - 280)::float8 as slot_ms from internal.airtable_pace where base_id = $1", [base]);
      slots.push(pace.slot_ms);
    }
    expect(waits[0]).toBe(0);
    // Asked back to back, each slot comes 280 ms after the one before (later only if asking took longer).
    for (let i = 1; i < 4; i += 1) expect(slots[i] - slots[i - 1]).toBeGreaterThanOrEqual(279.99);
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

  it("pauses a base over its plan's monthly calls until the next hour, says so once, and shows it in health until Airtable answers", async () => {
    const db = await getDatabase();
    const base = uniqueBase();
    await takePaceSlot(db, base);
    const first = await pauseBaseForPlanLimit(db, base);
    const again = await pauseBaseForPlanLimit(db, base);
    const [{ next_hour: nextHour }] = await db.query<{ next_hour: Date }>("select date_trunc('hour', now()) + interval '1 hour' as next_hour");

    expect(first).toMatchObject({ newlyLimited: true, until: nextHour });
    expect(again).toMatchObject({ newlyLimited: false, until: nextHour });
    expect((await takePaceSlot(db, base)).waitMs).toBeGreaterThanOrEqual(first.pauseMs - 1000);
    expect(await readAirtableHealth(db)).toMatchObject({ ok: false, planLimitedUntil: nextHour });

    await recordBaseAnswered(db, base);
    expect((await readAirtableHealth(db)).planLimitedUntil).toBeNull();
    expect((await pauseBaseForPlanLimit(db, base)).newlyLimited).toBe(true);
    await recordBaseAnswered(db, base);
  });
});

describe("outbox jobs", () => {
  async function queuedJob(caller = phoneNumber()): Promise<number> {
    const db = await getDatabase();
    const callSid = sid("CA");
    await recordInboundCall(db, config, { CallSid: callSid, From: caller, To: config.trackingNumber });
    const [job] = await db.query<{ id: number }>("select id::int as id from internal.outbox where event_key = $1", [callSid]);
    return job.id;
  }

  const claimedJobIds = async () => (await claimDueJobs(await getDatabase(), 1000)).jobs.map((job) => job.id);

  it("are claimed with their lead: all its due jobs, by one drainer, until its holder lets go or the claim runs out", async () => {
    const db = await getDatabase();
    const caller = phoneNumber();
    const jobs = [await queuedJob(caller), await queuedJob(caller)];
    const first = await claimDueJobs(db, 1000);
    expect(first.jobs.map((job) => job.id)).toEqual(expect.arrayContaining(jobs));
    const [lead] = first.jobs.filter((job) => job.id === jobs[0]).map((job) => job.lead_id);

    // While the lead is in flight nobody else gets it, not even for a job queued meanwhile.
    const later = await queuedJob(caller);
    const second = await claimDueJobs(db, 1000);
    expect(second.leadIds).not.toContain(lead);
    await releaseLeads(db, [lead], second.claimant);
    expect(await claimedJobIds()).not.toContain(later);

    await releaseLeads(db, [lead], first.claimant);
    const third = await claimDueJobs(db, 1000);
    expect(third.jobs.map((job) => job.id)).toEqual(expect.arrayContaining([...jobs, later]));

    // A holder that died: its claim runs out and another drainer takes the lead over; the dead
    // holder's late release leaves the new claim alone.
    await db.query("update internal.outbox_lead_claims set claimed_until = now() - interval '1 second' where lead_id = $1", [lead]);
    const takeover = await claimDueJobs(db, 1000);
    expect(takeover.leadIds).toContain(lead);
    await releaseLeads(db, [lead], third.claimant);
    expect(await claimedJobIds()).not.toContain(later);
    await releaseLeads(db, [lead], takeover.claimant);
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
    expect(await claimedJobIds()).not.toContain(job);
    expect(await listDeadJobs(db)).toContainEqual(
      expect.objectContaining({ id: job, lead_key: expect.stringMatching(/^outbox-client:\+1/), last_error: `422 INVALID_VALUE_FOR_COLUMN: attempt ${MAX_ATTEMPTS}` }),
    );

    expect(await retryDeadJobs(db, [job])).toBe(1);
    expect(await claimedJobIds()).toContain(job);
  });
});
