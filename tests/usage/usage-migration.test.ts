// A deployment that ran before the usage ledger keeps its entries: the migration gives each one its
// direction, tracking number and the time of its call or text, counts an MMS once, drops what no
// client can be billed for, and starts number-days for the numbers active then.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/database";
import { migrateDatabase } from "@/lib/db/migrate-database";
import { openEmbeddedDatabase } from "@/lib/db/open-embedded-database";

const USAGE_MIGRATION = "20261203000000";
const ROOT = path.resolve(import.meta.dirname, "../..");
const DAY_MS = 86_400_000;

let db: Database;

/** A database migrated up to just before the usage ledger, as a deployment was. */
async function databaseBeforeUsage(): Promise<Database> {
  const before = await openEmbeddedDatabase("memory://");
  await before.exec(await readFile(path.join(ROOT, "lib/db/supabase-roles.sql"), "utf8"));
  await before.exec(await readFile(path.join(ROOT, "lib/db/supabase-auth-shim.sql"), "utf8"));
  await before.exec("create schema supabase_migrations; create table supabase_migrations.schema_migrations (version text primary key, statements text[], name text);");
  const files = (await readdir(path.join(ROOT, "supabase/migrations"))).filter((file) => file < USAGE_MIGRATION).sort();
  for (const file of files) {
    await before.exec(await readFile(path.join(ROOT, "supabase/migrations", file), "utf8"));
    await before.query("insert into supabase_migrations.schema_migrations (version, name) values ($1, $2)", [file.slice(0, 14), file.slice(15, -4)]);
  }
  return before;
}

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);
const CALL = { sid: "CA10000000000000000000000000000001", dialSid: "CA10000000000000000000000000000002", startedAt: hoursAgo(30) };
const TEXT = { sid: "SM10000000000000000000000000000001", at: hoursAgo(20) };
const PHOTO = { sid: "SM10000000000000000000000000000002", at: hoursAgo(10) };

beforeAll(async () => {
  db = await databaseBeforeUsage();
  await db.exec(`
    insert into public.clients (id, name) values ('acme-plumbing', 'Acme Plumbing');
    insert into public.tracking_numbers (phone_number, client_id, primary_number) values ('+15125550100', 'acme-plumbing', '+15125550111'), ('+15125550101', 'acme-plumbing', '+15125550111');
    insert into public.tracking_numbers (phone_number, client_id, primary_number, active) values ('+15125550102', 'acme-plumbing', '+15125550111', false);
  `);
  await db.query(
    `insert into public.calls (call_sid, client_id, tracking_number, caller, dial_call_sid, started_at) values ($1, 'acme-plumbing', '+15125550100', '+15125550134', $2, $3)`,
    [CALL.sid, CALL.dialSid, CALL.startedAt],
  );
  for (const text of [TEXT, PHOTO]) {
    await db.query(
      `insert into public.messages (message_sid, client_id, direction, author, tracking_number, counterpart, created_at) values ($1, 'acme-plumbing', 'inbound', 'lead', '+15125550100', '+15125550134', $2)`,
      [text.sid, text.at],
    );
  }
  // As the webhooks wrote them: stamped when the deferred write ran, an MMS counted both ways.
  await db.exec(`
    insert into public.usage_events (client_id, kind, quantity, twilio_sid) values
      ('acme-plumbing', 'call_seconds', 95, '${CALL.sid}'),
      ('acme-plumbing', 'call_seconds', 80, '${CALL.dialSid}'),
      ('acme-plumbing', 'sms_segments', 2, '${TEXT.sid}'),
      ('acme-plumbing', 'sms_segments', 1, '${PHOTO.sid}'),
      ('acme-plumbing', 'mms_messages', 1, '${PHOTO.sid}'),
      (null, 'sms_segments', 1, 'SM10000000000000000000000000000009'),
      ('acme-plumbing', 'tracking_numbers', 1, 'PN10000000000000000000000000000001');
  `);
  expect(await migrateDatabase(db)).toContain(`${USAGE_MIGRATION}_usage.sql`);
});

afterAll(async () => {
  await db.close();
});

describe("the usage ledger migration", () => {
  it("keeps every billable entry with its direction, tracking number and the time of its call or text, an MMS once", async () => {
    const entries = await db.query("select twilio_sid, kind, direction, quantity, tracking_number, occurred_at from public.usage_events order by occurred_at, kind");
    expect(entries).toEqual([
      { twilio_sid: CALL.sid, kind: "call_seconds", direction: "inbound", quantity: 95, tracking_number: "+15125550100", occurred_at: CALL.startedAt },
      { twilio_sid: CALL.dialSid, kind: "call_seconds", direction: "outbound", quantity: 80, tracking_number: "+15125550100", occurred_at: CALL.startedAt },
      { twilio_sid: TEXT.sid, kind: "sms_segments", direction: "inbound", quantity: 2, tracking_number: "+15125550100", occurred_at: TEXT.at },
      { twilio_sid: PHOTO.sid, kind: "mms_messages", direction: "inbound", quantity: 1, tracking_number: "+15125550100", occurred_at: PHOTO.at },
    ]);
  });

  it("starts number-days for the active numbers from their first call or text this month, or from now", async () => {
    const holdings = await db.query<{ tracking_number: string; held_from: Date }>(
      "select tracking_number, held_from from internal.number_holdings where held_until is null order by tracking_number",
    );
    const monthStart = Date.parse(`${new Date().toISOString().slice(0, 7)}-01T00:00:00Z`);
    expect(holdings.map((holding) => holding.tracking_number)).toEqual(["+15125550100", "+15125550101"]);
    expect(holdings[0].held_from.getTime()).toBe(Math.max(monthStart, CALL.startedAt.getTime()));
    expect(Date.now() - holdings[1].held_from.getTime()).toBeLessThan(DAY_MS);
  });
});
