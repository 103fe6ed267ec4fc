import { http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PIPELINE_FIELDS as F } from "@/lib/airtable/pipeline-fields";
import { recordInboundCalls } from "@/lib/calls/record-inbound-call";
import { getDatabase } from "@/lib/db/get-database";
import { openPostgresDatabase } from "@/lib/db/open-postgres-database";
import type { Database } from "@/lib/db/database";
import { serverEnv } from "@/lib/env";
import { deliverDueJobs } from "@/lib/outbox/deliver-due-jobs";
import { LEAD_PIPELINE_FIELDS, LEAD_PIPELINE_TABLE } from "../support/lead-pipeline-table";
import { airtableApiStandIn } from "../support/stand-ins/airtable-api";
import { addTrackingNumber, phoneNumber } from "../support/tracking-numbers";
import { sid } from "../support/twilio-webhook";

const env = process.env as Record<string, string>;
const airtable = airtableApiStandIn({ token: env.AIRTABLE_TOKEN, baseId: env.AIRTABLE_BASE_ID });
/** Every Lead Key each upsert carried, in the order the requests arrived. */
const sentKeys: string[] = [];
const server = setupServer(
  http.all(`${env.AIRTABLE_API_URL}/*`, async ({ request }) => {
    if (request.method === "PATCH") {
      const body = (await request.clone().json()) as { records: { fields: Record<string, string> }[] };
      sentKeys.push(...body.records.map((record) => record.fields[F.leadKey]));
    }
    return airtable.handle(request);
  }),
);
const LEADS = 120;
let workers: Database[] = [];

beforeAll(async () => {
  server.listen({ onUnhandledFrame: "error" });
  airtable.defineTable(LEAD_PIPELINE_TABLE, LEAD_PIPELINE_FIELDS);
  const config = await addTrackingNumber({ clientId: "two-workers" });
  const calls = Array.from({ length: LEADS }, () => ({ config, call: { CallSid: sid("CA"), From: phoneNumber(), To: config.trackingNumber } }));
  await recordInboundCalls(await getDatabase(), calls);
  // Two instances: each its own pool, as two servers or two `npm run worker` processes would have.
  workers = [0, 1].map(() => openPostgresDatabase(env.DATABASE_URL, { deadlineMs: 10_000, max: 4 }));
});

afterAll(async () => {
  server.close();
  await Promise.all(workers.map((db) => db.close()));
});

describe("two workers draining one outbox on PostgreSQL", () => {
  it("never deliver a job twice and together keep to the base's pace", async () => {
    const settings = serverEnv().airtable!;
    const rounds = [0, 0];
    await Promise.all(
      workers.map(async (db, worker) => {
        for (;;) {
          const round = await deliverDueJobs(db, settings);
          if (round.claimed === 0) return;
          rounds[worker] += 1;
        }
      }),
    );

    expect(rounds[0]).toBeGreaterThan(0);
    expect(rounds[1]).toBeGreaterThan(0);
    expect(sentKeys).toHaveLength(LEADS);
    expect(new Set(sentKeys).size).toBe(LEADS);
    expect(airtable.rows(LEAD_PIPELINE_TABLE)).toHaveLength(LEADS);
    expect(airtable.count429()).toBe(0);
    expect(airtable.maxRequestsInAnyRollingSecond()).toBeLessThanOrEqual(4);
    const db = await getDatabase();
    expect(await db.query("select status, count(*)::int as jobs from internal.outbox group by status")).toEqual([{ status: "delivered", jobs: LEADS }]);
  });
});
