// A cold instance (nothing in memory) whose database connection has just failed once: for 2 s every
// query fails fast, so webhooks do not each wait out a dead database. Found by `npm run
// bench:scale`: instances starting into a burst had a slow first connection, and then read the
// numbers' rows from Airtable outside the shared pace, which answered 429, and callers of a known
// number heard that it was not in service.
import pg from "pg";
import { expect, it } from "vitest";
import { lookupTrackingNumber } from "@/lib/config/lookup-tracking-number";
import { getDatabase } from "@/lib/db/get-database";
import { CONFIG_TABLE, useRemoteServices } from "../support/remote-services";
import { addTrackingNumber } from "../support/tracking-numbers";

const { airtable } = useRemoteServices();

/** Ends the server's own pool connection mid-query, as a dropped connection would: the database is marked down for 2 s. */
async function dropTheServersConnection(): Promise<void> {
  const db = await getDatabase();
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  try {
    const sleeping = db.query("select pg_sleep(0.7)").catch((error: Error) => error);
    let ended = 0;
    while (ended === 0) {
      ended = (await admin.query("select count(*)::int as ended from (select pg_terminate_backend(pid) from pg_stat_activity where query = 'select pg_sleep(0.7)' and pid <> pg_backend_pid()) t")).rows[0].ended;
    }
    expect(String(await sleeping)).toContain("database unavailable");
    await expect(db.query("select 1")).rejects.toThrow("database marked down after a recent failure");
  } finally {
    await admin.end();
  }
}

it("routes a number in the snapshot by asking the database, not Airtable, while a recent failure has it marked down", async () => {
  airtable.defineTable(CONFIG_TABLE, ["Tracking Number", "Client ID", "Primary Number", { name: "Active", type: "checkbox" }]);
  const config = await addTrackingNumber({ clientId: "marked-down" });
  await dropTheServersConnection();

  expect(await lookupTrackingNumber(config.trackingNumber)).toMatchObject({ clientId: "marked-down", primaryNumber: config.primaryNumber });
  expect(airtable.requests).toEqual([]);
});
