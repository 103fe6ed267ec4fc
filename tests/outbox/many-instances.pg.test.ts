import { http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pauseBaseForPlanLimit, takePaceSlot } from "@/lib/airtable/airtable-pace";
import { PIPELINE_FIELDS as F } from "@/lib/airtable/pipeline-fields";
import { recordInboundCalls } from "@/lib/calls/record-inbound-call";
import type { TrackingNumberConfig } from "@/lib/config/tracking-number-config";
import { getDatabase } from "@/lib/db/get-database";
import { openPostgresDatabase } from "@/lib/db/open-postgres-database";
import type { Database } from "@/lib/db/database";
import { serverEnv } from "@/lib/env";
import { deliverDueJobs } from "@/lib/outbox/deliver-due-jobs";
import { claimDueJobs, releaseLeads } from "@/lib/outbox/outbox-jobs";
import { LEAD_PIPELINE_FIELDS, LEAD_PIPELINE_TABLE } from "../support/lead-pipeline-table";
import { airtableApiStandIn } from "../support/stand-ins/airtable-api";
import { addTrackingNumber, phoneNumber } from "../support/tracking-numbers";
import { sid } from "../support/twilio-webhook";

const env = process.env as Record<string, string>;
const airtable = airtableApiStandIn({ token: env.AIRTABLE_TOKEN, baseId: env.AIRTABLE_BASE_ID });
const server = setupServer(http.all(`${env.AIRTABLE_API_URL}/*`, ({ request }) => airtable.handle(request)));
let instances: Database[] = [];
let config: TrackingNumberConfig;

beforeAll(async () => {
  server.listen({ onUnhandledFrame: "error" });
  airtable.defineTable(LEAD_PIPELINE_TABLE, LEAD_PIPELINE_FIELDS);
  config = await addTrackingNumber({ clientId: "same-leads" });
  // Two instances: each its own pool, as two servers (or a server and `npm run worker`) would have.
  instances = [0, 1].map(() => openPostgresDatabase(env.DATABASE_URL, { deadlineMs: 10_000, max: 4 }));
});

afterAll(async () => {
  server.close();
  await Promise.all(instances.map((db) => db.close()));
});

/** One call from each caller, all logged in one statement (one job each). */
async function callsFrom(callers: string[]): Promise<void> {
  await recordInboundCalls(
    await getDatabase(),
    callers.map((From) => ({ config, call: { CallSid: sid("CA"), From, To: config.trackingNumber } })),
  );
}

/** Both instances drain at the same moment until neither finds a due lead; rounds per instance. */
async function drainOnBothInstances(): Promise<number[]> {
  const settings = serverEnv().airtable!;
  const rounds = [0, 0];
  await Promise.all(
    instances.map(async (db, instance) => {
      for (;;) {
        const round = await deliverDueJobs(db, settings);
        if (round.claimed === 0) return;
        rounds[instance] += 1;
      }
    }),
  );
  return rounds;
}

const waitingOnLocks = async () =>
  (await instances[0].query<{ waiting: number }>("select count(*)::int as waiting from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'"))[0].waiting;
const leadKeysInAirtable = () => airtable.rows(LEAD_PIPELINE_TABLE).map((row) => String(row.fields[F.leadKey]));
const refusedRequests = () => airtable.requests.filter((request) => request.status !== 200);

describe("two instances delivering the same new leads at the same moment, on PostgreSQL", () => {
  it("create exactly one row per Lead Key, so no later upsert of a lead is refused", async () => {
    // 20 new leads with five jobs each, queued a round at a time, so the oldest due jobs span every
    // one of them twice over; then 60 leads with one job, so both instances have work.
    const busy = Array.from({ length: 20 }, () => phoneNumber());
    for (let call = 0; call < 5; call += 1) await callsFrom(busy);
    const quiet = Array.from({ length: 60 }, () => phoneNumber());
    await callsFrom(quiet);
    // Each write takes 600 ms, so requests sent 280 ms apart are in flight together.
    airtable.setLatency(600);

    const rounds = await drainOnBothInstances();
    expect(rounds[0]).toBeGreaterThan(0);
    expect(rounds[1]).toBeGreaterThan(0);
    const keys = leadKeysInAirtable();
    expect(keys).toHaveLength(80);
    expect(new Set(keys).size).toBe(80);
    expect(refusedRequests()).toEqual([]);
    const callsOf = (caller: string) => airtable.rows(LEAD_PIPELINE_TABLE).find((row) => row.fields[F.caller] === caller)?.fields[F.calls];
    for (const caller of busy) expect(callsOf(caller)).toBe(5);

    // Every lead calls again: each update finds its one row.
    await callsFrom([...busy, ...quiet]);
    await drainOnBothInstances();
    expect(leadKeysInAirtable()).toHaveLength(80);
    expect(refusedRequests()).toEqual([]);
    for (const caller of busy) expect(callsOf(caller)).toBe(6);
    const db = await getDatabase();
    expect(await db.query("select status, count(*)::int as jobs from internal.outbox group by status")).toEqual([{ status: "delivered", jobs: 240 }]);
    expect(await db.query("select count(*)::int as held from internal.outbox_lead_claims")).toEqual([{ held: 0 }]);
    expect(airtable.maxRequestsInAnyRollingSecond()).toBeLessThanOrEqual(4);
  });

  it("give each lead, with all its due jobs, to one claimer however many claim at once", async () => {
    const callers = Array.from({ length: 30 }, () => phoneNumber());
    for (let call = 0; call < 3; call += 1) await callsFrom(callers);
    const claims = await Promise.all(Array.from({ length: 8 }, (_, claimer) => claimDueJobs(instances[claimer % 2], 10)));

    const leadsClaimed = claims.flatMap((claim) => claim.leadIds);
    expect(leadsClaimed.length).toBeGreaterThan(0);
    expect(new Set(leadsClaimed).size).toBe(leadsClaimed.length);
    for (const claim of claims) {
      for (const leadId of claim.leadIds) expect(claim.jobs.filter((job) => job.lead_id === leadId)).toHaveLength(3);
    }
    const db = await getDatabase();
    await db.query("update internal.outbox set status = 'delivered' where lead_id = any($1::uuid[])", [leadsClaimed]);
    await Promise.all(claims.map((claim) => releaseLeads(db, claim.leadIds, claim.claimant)));
  });
});

describe("two instances told at the same moment that the workspace is over its plan", () => {
  it("pause the base until the next hour, and only one of them says so", async () => {
    const base = "appPlanLimited001";
    const db = await getDatabase();
    await takePaceSlot(db, base);
    // Six refusals arrive while the base's row is busy, so all six statements start before any
    // of them can write: each must still see what the first one wrote.
    const pauses = await db.transaction(async (tx) => {
      await tx.query("select 1 from internal.airtable_pace where base_id = $1 for update", [base]);
      const refusals = Array.from({ length: 6 }, (_, refusal) => pauseBaseForPlanLimit(instances[refusal % 2], base));
      while ((await waitingOnLocks()) < 6) await new Promise((resolve) => setTimeout(resolve, 20));
      return refusals;
    });

    const settled = await Promise.all(pauses);
    expect(settled.filter((pause) => pause.newlyLimited)).toHaveLength(1);
    const [{ next_hour: nextHour }] = await db.query<{ next_hour: Date }>("select date_trunc('hour', now()) + interval '1 hour' as next_hour");
    for (const pause of settled) expect(pause.until).toEqual(nextHour);
  });
});
