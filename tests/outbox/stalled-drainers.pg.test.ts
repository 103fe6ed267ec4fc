// Drainers on several instances whose process stalls (starved of CPU, a GC pause, a frozen
// serverless instance) between Postgres granting a pace slot and the request leaving: found by
// `npm run bench:scale`, where three requests left 300-440 ms after their slots, on top of the next
// three sent on time, and Airtable saw six in one second.
import { http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
const server = setupServer(http.all(`${env.AIRTABLE_API_URL}/*`, ({ request }) => airtable.handle(request)));
const STALL_MS = 450;
let pools: Database[] = [];

beforeAll(async () => {
  server.listen({ onUnhandledFrame: "error" });
  airtable.defineTable(LEAD_PIPELINE_TABLE, LEAD_PIPELINE_FIELDS);
  const config = await addTrackingNumber({ clientId: "stalled-drainers" });
  const calls = Array.from({ length: 200 }, () => ({ config, call: { CallSid: sid("CA"), From: phoneNumber(), To: config.trackingNumber } }));
  await recordInboundCalls(await getDatabase(), calls);
  // Four instances, each its own pool, as three servers and a worker would have.
  pools = [0, 1, 2, 3].map(() => openPostgresDatabase(env.DATABASE_URL, { deadlineMs: 10_000, max: 4 }));
});

afterAll(async () => {
  server.close();
  await Promise.all(pools.map((db) => db.close()));
});

/** The instance's process stops for `ms` right after Postgres answers its first request for a pace slot. */
function stallingAfterFirstSlot(db: Database, ms: number): Database {
  let stalled = false;
  return {
    ...db,
    async query(sql, params) {
      const rows = await db.query(sql, params);
      if (!stalled && sql.includes("internal.airtable_pace")) {
        stalled = true;
        await new Promise((resolve) => setTimeout(resolve, ms));
      }
      return rows;
    },
  } as Database;
}

describe("instances that stall between taking a pace slot and sending", () => {
  it("keep the base to 5 requests in any second, so Airtable refuses none", async () => {
    const settings = serverEnv().airtable!;
    const instances = [pools[0], ...pools.slice(1).map((db) => stallingAfterFirstSlot(db, STALL_MS))];
    await Promise.all(
      instances.map(async (db) => {
        while ((await deliverDueJobs(db, settings)).claimed > 0);
      }),
    );

    expect(airtable.count429()).toBe(0);
    expect(airtable.maxRequestsInAnyRollingSecond()).toBeLessThanOrEqual(5);
    expect(airtable.rows(LEAD_PIPELINE_TABLE)).toHaveLength(200);
  });
});
