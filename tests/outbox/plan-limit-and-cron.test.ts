import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { GET } from "@/app/api/cron/outbox/route";
import { PIPELINE_FIELDS as F } from "@/lib/airtable/pipeline-fields";
import { readAirtableHealth } from "@/lib/airtable/read-airtable-health";
import type { TrackingNumberConfig } from "@/lib/config/tracking-number-config";
import { getDatabase } from "@/lib/db/get-database";
import { drainOutbox } from "@/lib/outbox/drain-outbox";
import { LEAD_PIPELINE_FIELDS, LEAD_PIPELINE_TABLE } from "../support/lead-pipeline-table";
import { useRemoteServices } from "../support/remote-services";
import { placeCall } from "../support/simulated-contacts";
import { addTrackingNumber, phoneNumber } from "../support/tracking-numbers";

const { airtable } = useRemoteServices();
const base = process.env.AIRTABLE_BASE_ID!;
const PLAN_LIMIT_LOG = /refuses requests until its workspace's plan allows more API calls/;

let config: TrackingNumberConfig;
beforeEach(async () => {
  airtable.defineTable(LEAD_PIPELINE_TABLE, LEAD_PIPELINE_FIELDS);
  config = await addTrackingNumber({ clientId: `plan-${Math.floor(Math.random() * 1e9)}`, textBackEnabled: false });
  const db = await getDatabase();
  await db.query("update internal.outbox set status = 'delivered' where status <> 'delivered'");
  await db.query("update internal.airtable_pace set paused_until = null, plan_limited_until = null, next_slot_at = now() where base_id = $1", [base]);
  // The pause ends at the top of the hour: start clear of it, so it outlasts the test.
  const [{ ms }] = await db.query<{ ms: number }>("select (extract(epoch from date_trunc('hour', now()) + interval '1 hour' - now()) * 1000)::int as ms");
  if (ms < 5000) await new Promise((resolve) => setTimeout(resolve, ms + 100));
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const pipelineRow = (caller: string) => airtable.rows(LEAD_PIPELINE_TABLE).filter((row) => row.fields[F.leadKey] === `${config.clientId}:${caller}`);
const nextHour = async () =>
  (await (await getDatabase()).query<{ next_hour: Date }>("select date_trunc('hour', now()) + interval '1 hour' as next_hour"))[0].next_hour;

const pendingJobs = async () => (await (await getDatabase()).query<{ jobs: number }>("select count(*)::int as jobs from internal.outbox where status = 'pending'"))[0].jobs;

/** Callers whose jobs Airtable refused for the plan limit, handed back until the next hour. */
async function handedBackForThePlanLimit(): Promise<string[]> {
  const callers = [phoneNumber(), phoneNumber()];
  for (const caller of callers) await placeCall(config.trackingNumber, caller, "missed");
  const jobs = await pendingJobs();
  airtable.exceedPlanLimit();
  expect(await drainOutbox({ maxMs: 5_000 })).toMatchObject({ requests: 1, delivered: 0, failed: 0, postponed: jobs });
  return callers;
}

describe("Airtable's monthly plan limit", () => {
  it("pauses the base until the next hour, hands the jobs back without an attempt, says so once, and shows in health", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const callers = await handedBackForThePlanLimit();
    const db = await getDatabase();
    const jobs = await db.query<{ attempts: number; last_error: string; due_at_next_hour: boolean }>(
      `select attempts, last_error, abs(extract(epoch from run_after - (date_trunc('hour', now()) + interval '1 hour'))) < 1 as due_at_next_hour
         from internal.outbox where status = 'pending'`,
    );
    expect(jobs.length).toBeGreaterThanOrEqual(callers.length);
    for (const job of jobs) expect(job).toEqual({ attempts: 0, last_error: expect.stringMatching(/^429 PUBLIC_API_BILLING_LIMIT_EXCEEDED: /), due_at_next_hour: true });
    expect(await readAirtableHealth(db)).toEqual({ ok: false, pausedUntil: await nextHour(), planLimitedUntil: await nextHour() });

    // More leads and more rounds: nothing goes to Airtable, and nothing more is logged.
    const requests = airtable.requests.length;
    await placeCall(config.trackingNumber, phoneNumber(), "missed");
    await drainOutbox({ maxMs: 2_000 });
    await drainOutbox({ maxMs: 2_000 });
    expect(airtable.requests.length).toBe(requests);
    expect(logged.mock.calls.filter(([message]) => PLAN_LIMIT_LOG.test(String(message)))).toHaveLength(1);
  });

  it("leaves the handed-back jobs to the cron: once the hour is up, GET /api/cron/outbox delivers them with no timer and no wake-up", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const callers = await handedBackForThePlanLimit();
    airtable.recover();
    const db = await getDatabase();
    // The hour is up.
    await db.query("update internal.airtable_pace set paused_until = now(), plan_limited_until = now(), next_slot_at = now() where base_id = $1", [base]);
    await db.query("update internal.outbox set run_after = now() where status = 'pending'");

    // As on a serverless instance: no catch-up timer survived from the round that handed the jobs
    // back, and no drainer is running.
    const drainer = (globalThis as typeof globalThis & { __leadlineDrainer?: { running: boolean; catchUp?: NodeJS.Timeout } }).__leadlineDrainer;
    clearTimeout(drainer?.catchUp);
    if (drainer) drainer.catchUp = undefined;
    expect(drainer?.running ?? false).toBe(false);
    for (const caller of callers) expect(pipelineRow(caller)).toEqual([]);

    const jobs = await pendingJobs();
    vi.stubEnv("CRON_SECRET", "cron-secret-123");
    const response = await GET(new Request("http://10.0.0.7:8080/api/cron/outbox", { headers: { authorization: "Bearer cron-secret-123" } }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ delivered: jobs, failed: 0, postponed: 0 });
    for (const caller of callers) expect(pipelineRow(caller)).toHaveLength(1);
    expect(await readAirtableHealth(db)).toEqual({ ok: true, pausedUntil: null, planLimitedUntil: null });
  });
});
