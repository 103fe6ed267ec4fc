// On PostgreSQL writes overlap: a row's updated_at is when its transaction began, so a webhook's
// write that began first can commit after a later one, dated below the newest change the open
// inbox already saw. The marker must still change, or that call would never appear.
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Database } from "@/lib/db/database";
import { getDatabase } from "@/lib/db/get-database";
import { readChangeMarker } from "@/lib/inbox/read-change-marker";
import { sid } from "../support/twilio-webhook";
import { minutesAgo, openLab, type Lab } from "./inbox-lab";

let db: Database;
let lab: Lab;
let slowWriter: pg.Client;

beforeAll(async () => {
  db = await getDatabase();
  lab = await openLab(db);
  slowWriter = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await slowWriter.connect();
});

afterAll(async () => {
  await slowWriter.end();
});

const INSERT_CALL = `insert into public.calls (call_sid, client_id, lead_id, tracking_number, caller, outcome, started_at)
                     values ($1, $2, $3, $4, $5, 'answered', now())`;

it("changes when a call written before the newest change commits after it", async () => {
  const lead = await lab.addLead({ contacts: [{ kind: "call", at: minutesAgo(5), outcome: "answered" }] });
  const early = await lab.addLead({ contacts: [{ kind: "call", at: minutesAgo(5), outcome: "answered" }] });
  const call = (leadId: string, caller: string) => [sid("CA"), lab.clientId, leadId, lab.googleAds.trackingNumber, caller];

  const slowCall = call(early.id, early.caller);
  const quickCall = call(lead.id, lead.caller);

  await slowWriter.query("begin");
  await slowWriter.query(INSERT_CALL, slowCall);
  await new Promise((resolve) => setTimeout(resolve, 50));
  await db.query(INSERT_CALL, quickCall);
  const seen = await readChangeMarker(db, lab.user);

  await slowWriter.query("commit");
  const [{ dated_below }] = await db.query<{ dated_below: boolean }>(
    "select (select updated_at from public.calls where call_sid = $1) < (select updated_at from public.calls where call_sid = $2) as dated_below",
    [slowCall[0], quickCall[0]],
  );
  expect(dated_below).toBe(true);
  expect(await readChangeMarker(db, lab.user)).not.toBe(seen);
});
