import { beforeEach, describe, expect, it, vi } from "vitest";
import { PIPELINE_FIELDS as F } from "@/lib/airtable/pipeline-fields";
import type { TrackingNumberConfig } from "@/lib/config/tracking-number-config";
import { getDatabase } from "@/lib/db/get-database";
import { deliverDueJobs } from "@/lib/outbox/deliver-due-jobs";
import { drainOutbox, drainOutboxOnSchedule } from "@/lib/outbox/drain-outbox";
import { MAX_ATTEMPTS, retryDeadJobs } from "@/lib/outbox/outbox-jobs";
import { pauseBaseAfterFailure } from "@/lib/airtable/airtable-pace";
import { pullPipelineStatuses } from "@/lib/leads/pull-pipeline-statuses";
import { serverEnv } from "@/lib/env";
import { LEAD_PIPELINE_FIELDS, LEAD_PIPELINE_TABLE } from "../support/lead-pipeline-table";
import { useRemoteServices } from "../support/remote-services";
import { addTrackingNumber, phoneNumber } from "../support/tracking-numbers";
import { placeCall, sendText } from "../support/simulated-contacts";

const { airtable } = useRemoteServices();

let config: TrackingNumberConfig;
beforeEach(async () => {
  airtable.defineTable(LEAD_PIPELINE_TABLE, LEAD_PIPELINE_FIELDS);
  config = await addTrackingNumber({ clientId: `pipeline-${Math.floor(Math.random() * 1e9)}`, source: "Google Ads", textBackEnabled: false });
  // Jobs from earlier tests must not spill into this one's requests.
  const db = await getDatabase();
  await db.query("update internal.outbox set status = 'delivered' where status <> 'delivered'");
});

const call = (caller: string, outcome: "answered" | "missed", trackingNumber = config.trackingNumber) => placeCall(trackingNumber, caller, outcome);
const text = (caller: string, body: string, trackingNumber = config.trackingNumber) => sendText(trackingNumber, caller, body);

type StandInBase = Pick<typeof airtable, "rows">;

const pipelineRow = (caller: string, base: StandInBase = airtable) =>
  base.rows(LEAD_PIPELINE_TABLE).filter((row) => row.fields[F.leadKey] === `${config.clientId}:${caller}`);

/** Agency staff move the card in Airtable, through Airtable's own API. */
async function staffSetsStatus(recordId: string, value: string): Promise<void> {
  const { AIRTABLE_API_URL, AIRTABLE_BASE_ID, AIRTABLE_TOKEN } = process.env;
  const response = await fetch(`${AIRTABLE_API_URL}/v0/${AIRTABLE_BASE_ID}/${encodeURIComponent(LEAD_PIPELINE_TABLE)}/${recordId}`, {
    method: "PATCH",
    headers: { authorization: `Bearer ${AIRTABLE_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ fields: { [F.status]: value } }),
  });
  expect(response.status).toBe(200);
}

async function leadStatus(caller: string): Promise<string> {
  const db = await getDatabase();
  const [lead] = await db.query<{ status: string }>("select status from public.leads where caller = $1 and client_id = $2", [caller, config.clientId]);
  return lead.status;
}

/** The app changes the lead's status, dated `at` (SQL): the database dates a change as it is written, the server's role may redate it. */
async function appSetsStatus(caller: string, status: string, at: string): Promise<void> {
  const db = await getDatabase();
  await db.query("update public.leads set status = $3 where caller = $1 and client_id = $2", [caller, config.clientId, status]);
  await db.query(`update public.leads set status_changed_at = ${at} where caller = $1 and client_id = $2`, [caller, config.clientId]);
}

const makeEverythingDue = async () => (await getDatabase()).query("update internal.outbox set run_after = now() where status = 'pending'");

describe("delivering the outbox to the Lead Pipeline", () => {
  it("keeps one row per lead with absolute counts, however often it is delivered", async () => {
    const caller = phoneNumber();
    await call(caller, "missed");
    await call(caller, "answered");
    await text(caller, "Are you open Saturday?");
    await drainOutbox({ maxMs: 10_000 });
    await drainOutbox({ maxMs: 10_000 });

    const rows = pipelineRow(caller);
    expect(rows).toHaveLength(1);
    expect(rows[0].fields).toMatchObject({
      [F.clientId]: config.clientId,
      [F.caller]: caller,
      [F.trackingNumber]: config.trackingNumber,
      [F.source]: "Google Ads",
      [F.calls]: 2,
      [F.missedCalls]: 1,
      [F.texts]: 1,
      [F.lastMessage]: "Are you open Saturday?",
      [F.lastActivity]: "Text received",
    });

    await call(caller, "missed");
    await drainOutbox({ maxMs: 10_000 });
    expect(pipelineRow(caller)).toEqual([expect.objectContaining({ fields: expect.objectContaining({ [F.calls]: 3, [F.missedCalls]: 2 }) })]);
  });

  it("sends at most 10 rows per request and one row per lead, so 25 leads take 3 requests", async () => {
    const callers = Array.from({ length: 25 }, () => phoneNumber());
    for (const caller of callers) await call(caller, "missed");
    const before = airtable.requests.length;
    const summary = await drainOutbox({ maxMs: 20_000 });

    const writes = airtable.requests.slice(before).filter((request) => request.method === "PATCH");
    expect(writes).toHaveLength(3);
    expect(summary.requests).toBe(3);
    for (const caller of callers) expect(pipelineRow(caller)).toHaveLength(1);
    expect(airtable.maxRequestsInAnyRollingSecond()).toBeLessThanOrEqual(4);
    expect(airtable.count429()).toBe(0);
  });

  it("after a 429, pauses the base and keeps the jobs for after the penalty", async () => {
    const caller = phoneNumber();
    await call(caller, "missed");
    airtable.penalize(60_000);
    const summary = await drainOutbox({ maxMs: 5_000 });

    expect(summary.postponed).toBeGreaterThan(0);
    expect(pipelineRow(caller)).toEqual([]);
    const db = await getDatabase();
    const [pace] = await db.query<{ paused: boolean }>("select paused_until > now() + interval '25 seconds' as paused from internal.airtable_pace where base_id = $1", [
      process.env.AIRTABLE_BASE_ID,
    ]);
    expect(pace.paused).toBe(true);
    const requestsWhilePaused = airtable.requests.length;
    await drainOutbox({ maxMs: 1_000 });
    expect(airtable.requests.length).toBe(requestsWhilePaused);

    await db.query("update internal.airtable_pace set paused_until = null, next_slot_at = now() where base_id = $1", [process.env.AIRTABLE_BASE_ID]);
    airtable.reset();
    airtable.defineTable(LEAD_PIPELINE_TABLE, LEAD_PIPELINE_FIELDS);
    await makeEverythingDue();
    await drainOutbox({ maxMs: 10_000 });
    expect(pipelineRow(caller)).toHaveLength(1);
  });

  it("pauses the base while Airtable is down, costing no job an attempt, and delivers once it is back", async () => {
    const caller = phoneNumber();
    await call(caller, "missed");
    airtable.goDown(503);
    const summary = await drainOutbox({ maxMs: 5_000 });
    expect(summary).toMatchObject({ requests: 1, failed: 0 });
    expect(summary.postponed).toBeGreaterThan(0);

    const db = await getDatabase();
    const jobs = await db.query<{ attempts: number; last_error: string; waits: boolean }>(
      "select attempts, last_error, run_after > now() as waits from internal.outbox where status = 'pending'",
    );
    expect(jobs.length).toBeGreaterThan(0);
    for (const job of jobs) expect(job).toEqual({ attempts: 0, last_error: expect.stringMatching(/^503 /), waits: true });
    const [pace] = await db.query<{ failures: number; paused: boolean }>(
      "select failures, paused_until > now() as paused from internal.airtable_pace where base_id = $1",
      [process.env.AIRTABLE_BASE_ID],
    );
    expect(pace).toEqual({ failures: 1, paused: true });

    airtable.recover();
    await db.query("update internal.airtable_pace set paused_until = null, next_slot_at = now() where base_id = $1", [process.env.AIRTABLE_BASE_ID]);
    await makeEverythingDue();
    await drainOutbox({ maxMs: 10_000 });
    expect(pipelineRow(caller)).toHaveLength(1);
    expect(await db.query("select failures from internal.airtable_pace where base_id = $1", [process.env.AIRTABLE_BASE_ID])).toEqual([{ failures: 0 }]);
  });

  it("pauses the base instead of splitting or failing jobs when Airtable refuses the token itself", async () => {
    const callers = Array.from({ length: 12 }, () => phoneNumber());
    for (const caller of callers) await call(caller, "answered");
    vi.stubEnv("AIRTABLE_TOKEN", "patRevokedToken.0000");
    try {
      const summary = await drainOutbox({ maxMs: 5_000 });
      expect(summary).toMatchObject({ requests: 1, failed: 0 });
    } finally {
      vi.unstubAllEnvs();
    }
    const db = await getDatabase();
    const jobs = await db.query<{ attempts: number; last_error: string }>("select attempts, last_error from internal.outbox where status = 'pending'");
    expect(jobs.length).toBe(callers.length * 2);
    for (const job of jobs) expect(job).toEqual({ attempts: 0, last_error: expect.stringMatching(/^401 /) });
    const [pace] = await db.query<{ paused: boolean }>("select paused_until > now() as paused from internal.airtable_pace where base_id = $1", [
      process.env.AIRTABLE_BASE_ID,
    ]);
    expect(pace).toEqual({ paused: true });
    await db.query("update internal.airtable_pace set paused_until = null, failures = 0, next_slot_at = now() where base_id = $1", [process.env.AIRTABLE_BASE_ID]);
  });

  it("starts no request after its deadline, handing the jobs back untouched", async () => {
    const caller = phoneNumber();
    await call(caller, "missed");
    const before = airtable.requests.length;
    const round = await deliverDueJobs(await getDatabase(), serverEnv().airtable!, Date.now() - 1);
    expect(round).toMatchObject({ requests: 0, delivered: 0, failed: 0 });
    expect(round.postponed).toBeGreaterThan(0);
    expect(airtable.requests.length).toBe(before);
    await drainOutbox({ maxMs: 10_000 });
    expect(pipelineRow(caller)).toHaveLength(1);
  });

  it("drains on the cron even while another drain runs in the process, each lead going to Airtable once", async () => {
    const caller = phoneNumber();
    await call(caller, "missed");
    await text(caller, "hello?");
    const before = airtable.requests.length;
    const results = await Promise.all([drainOutbox({ maxMs: 10_000 }), drainOutboxOnSchedule(10_000)]);

    const db = await getDatabase();
    const [{ jobs }] = await db.query<{ jobs: number }>(
      "select count(*)::int as jobs from internal.outbox o join public.leads l on l.id = o.lead_id where l.caller = $1 and o.status = 'delivered'",
      [caller],
    );
    expect(results.map((summary) => summary.delivered).reduce((a, b) => a + b)).toBe(jobs);
    expect(airtable.requests.slice(before).filter((request) => request.method === "PATCH")).toHaveLength(1);
    expect(pipelineRow(caller)).toEqual([expect.objectContaining({ fields: expect.objectContaining({ [F.calls]: 1, [F.texts]: 1 }) })]);
  });

  it("splits a request Airtable refuses until the refused record is alone: the others are delivered, and only its jobs count attempts until they go dead", async () => {
    const callers = Array.from({ length: 10 }, () => phoneNumber());
    const [refused] = callers;
    // What two drainers upserting one new lead at once used to leave behind: its Lead Key twice.
    for (let copy = 0; copy < 2; copy += 1) airtable.addRow(LEAD_PIPELINE_TABLE, { [F.leadKey]: `${config.clientId}:${refused}` });
    for (const caller of callers) await call(caller, "missed");
    const db = await getDatabase();
    const settings = serverEnv().airtable!;
    const jobsOf = (leadCallers: string[]) =>
      db.query<{ status: string; attempts: number; last_error: string | null }>(
        "select o.status, o.attempts, o.last_error from internal.outbox o join public.leads l on l.id = o.lead_id where l.caller = any($1) and l.client_id = $2",
        [leadCallers, config.clientId],
      );
    const refusedJobs = (await jobsOf([refused])).length;
    const round = await deliverDueJobs(db, settings);

    expect(round).toMatchObject({ delivered: round.claimed - refusedJobs, failed: refusedJobs });
    const writes = airtable.requests.filter((request) => request.method === "PATCH");
    expect(writes.length).toBe(round.requests);
    // 10 → 5 + 5 → 3 + 2 → 2 + 1 → 1 + 1 at most.
    expect(writes.length).toBeLessThanOrEqual(9);
    expect(airtable.maxRequestsInAnyRollingSecond()).toBeLessThanOrEqual(4);
    for (const caller of callers.slice(1)) expect(pipelineRow(caller)).toEqual([expect.objectContaining({ fields: expect.objectContaining({ [F.calls]: 1 }) })]);
    for (const job of await jobsOf(callers.slice(1))) expect(job).toEqual({ status: "delivered", attempts: 0, last_error: null });
    const refusal = expect.stringMatching(/^422 INVALID_REQUEST_UNKNOWN: /);
    for (const job of await jobsOf([refused])) expect(job).toEqual({ status: "pending", attempts: 1, last_error: refusal });

    // From now on the refused record goes alone, one request a round, until its jobs go dead.
    for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt += 1) {
      await makeEverythingDue();
      expect(await deliverDueJobs(db, settings)).toMatchObject({ requests: 1, failed: refusedJobs, delivered: 0 });
    }
    for (const job of await jobsOf([refused])) expect(job).toEqual({ status: "dead", attempts: MAX_ATTEMPTS, last_error: refusal });
    for (const job of await jobsOf(callers.slice(1))) expect(job.status).toBe("delivered");
  });

  it("looks again when a paused base's pause is over, with no webhook or cron run to wake it", async () => {
    const db = await getDatabase();
    await db.query("update internal.airtable_pace set failures = 0, paused_until = null, next_slot_at = now() where base_id = $1", [process.env.AIRTABLE_BASE_ID]);
    const caller = phoneNumber();
    await call(caller, "missed");
    airtable.goDown(503);
    const handedBack = await drainOutboxOnSchedule(5_000);
    expect(handedBack).toMatchObject({ delivered: 0, postponed: expect.toSatisfy((jobs: number) => jobs > 0) });
    airtable.recover();
    expect(pipelineRow(caller)).toEqual([]);

    // The first failure pauses the base for 2 s; the drainer comes back on its own after that.
    await vi.waitFor(() => expect(pipelineRow(caller)).toHaveLength(1), { timeout: 6_000, interval: 100 });
  });

  it("pauses longer after each failure in a row, up to a minute", async () => {
    const db = await getDatabase();
    const base = process.env.AIRTABLE_BASE_ID!;
    await db.query("update internal.airtable_pace set failures = 0 where base_id = $1", [base]);
    const pauses = [];
    for (let failure = 0; failure < 7; failure += 1) pauses.push(await pauseBaseAfterFailure(db, base));
    expect(pauses).toEqual([2000, 4000, 8000, 16000, 32000, 60000, 60000]);
    await db.query("update internal.airtable_pace set failures = 0, paused_until = null, next_slot_at = now() where base_id = $1", [base]);
  });

  it("lets a job that keeps failing go dead, showing why, and delivers it on retry", async () => {
    const caller = phoneNumber();
    airtable.defineTable(LEAD_PIPELINE_TABLE, LEAD_PIPELINE_FIELDS.filter((field) => typeof field === "string" || field.name !== F.caller));
    await call(caller, "missed");
    const db = await getDatabase();
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      await makeEverythingDue();
      await drainOutbox({ maxMs: 5_000 });
    }
    const dead = await db.query<{ id: number; last_error: string }>("select id::int as id, last_error from internal.outbox where status = 'dead'");
    expect(dead.length).toBeGreaterThan(0);
    expect(dead[0].last_error).toMatch(/422 UNKNOWN_FIELD_NAME/);

    airtable.defineTable(LEAD_PIPELINE_TABLE, LEAD_PIPELINE_FIELDS);
    expect(await retryDeadJobs(db)).toBe(dead.length);
    await drainOutbox({ maxMs: 10_000 });
    expect(pipelineRow(caller)).toHaveLength(1);
  });

  it("sends Status only when the app changed it, so an edit made in Airtable is not undone", async () => {
    const caller = phoneNumber();
    await call(caller, "missed");
    await drainOutbox({ maxMs: 10_000 });
    expect(pipelineRow(caller)[0].fields[F.status]).toBeUndefined();

    const db = await getDatabase();
    await db.query("update public.leads set status = 'Qualified' where caller = $1 and client_id = $2", [caller, config.clientId]);
    await text(caller, "thanks!");
    await drainOutbox({ maxMs: 10_000 });
    expect(pipelineRow(caller)[0].fields[F.status]).toBe("Qualified");

    await staffSetsStatus(pipelineRow(caller)[0].id, "Won");
    await text(caller, "see you then");
    await drainOutbox({ maxMs: 10_000 });
    expect(pipelineRow(caller)[0].fields).toMatchObject({ [F.status]: "Won", [F.texts]: 2 });
  });

  it("takes a status staff changed in Airtable into the app, and never sends it back", async () => {
    const caller = phoneNumber();
    await call(caller, "missed");
    await drainOutbox({ maxMs: 10_000 });
    const recordId = pipelineRow(caller)[0].id;

    await staffSetsStatus(recordId, "Won");
    const report = await pullPipelineStatuses(await getDatabase(), serverEnv().airtable!);
    expect(report.applied).toBe(1);
    expect(await leadStatus(caller)).toBe("Won");

    await staffSetsStatus(recordId, "Lost");
    await text(caller, "one more question");
    await drainOutbox({ maxMs: 10_000 });
    expect(pipelineRow(caller)[0].fields).toMatchObject({ [F.status]: "Lost", [F.texts]: 1 });
  });

  it("keeps the later change when both sides changed the status: last write wins by timestamp", async () => {
    const db = await getDatabase();
    const appFirst = phoneNumber();
    const staffFirst = phoneNumber();
    for (const caller of [appFirst, staffFirst]) await call(caller, "missed");
    await drainOutbox({ maxMs: 10_000 });

    // The app's change an hour ago is older than staff's change now: staff wins.
    await appSetsStatus(appFirst, "Spam", "now() - interval '1 hour'");
    await staffSetsStatus(pipelineRow(appFirst)[0].id, "Won");
    // Staff changed first, the app changed after: the app wins, and its status goes to Airtable.
    await staffSetsStatus(pipelineRow(staffFirst)[0].id, "Contacted");
    await appSetsStatus(staffFirst, "Qualified", "now() + interval '1 second'");

    const report = await pullPipelineStatuses(db, serverEnv().airtable!);
    expect(report).toMatchObject({ applied: 1, keptNewer: 1 });
    expect(await leadStatus(appFirst)).toBe("Won");
    expect(await leadStatus(staffFirst)).toBe("Qualified");

    await text(staffFirst, "ok");
    await drainOutbox({ maxMs: 10_000 });
    expect(pipelineRow(staffFirst)[0].fields[F.status]).toBe("Qualified");
    expect(pipelineRow(appFirst)[0].fields[F.status]).toBe("Won");
  });

  it("pulls only rows changed since the last pull", async () => {
    const db = await getDatabase();
    const caller = phoneNumber();
    await call(caller, "missed");
    await drainOutbox({ maxMs: 10_000 });
    await staffSetsStatus(pipelineRow(caller)[0].id, "Contacted");
    await pullPipelineStatuses(db, serverEnv().airtable!);
    expect((await pullPipelineStatuses(db, serverEnv().airtable!)).rows).toBe(0);
  });

  it("sends a client's leads to its own base when its config names one, on that base's own pace", async () => {
    const ownBase = airtable.base("appClientOwnBase1");
    ownBase.defineTable(LEAD_PIPELINE_TABLE, LEAD_PIPELINE_FIELDS);
    const own = await addTrackingNumber({ clientId: config.clientId, pipelineBaseId: "appClientOwnBase1" });
    const caller = phoneNumber();
    await call(caller, "missed", own.trackingNumber);
    await drainOutbox({ maxMs: 10_000 });

    expect(pipelineRow(caller, ownBase)).toHaveLength(1);
    expect(pipelineRow(caller)).toEqual([]);
  });
});
