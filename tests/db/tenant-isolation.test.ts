// A client user can call Supabase's Data API directly with its own token, so the database is the
// only wall between two clients. These tests are that attacker: Acme Plumbing's own user, against
// every table and every command, trying to read, write, change and delete Bright Smiles' rows and
// to plant rows a later webhook would attach to Bright; then tokens that should reach nothing at
// all. Every outcome is checked against what is really stored, read with the role that bypasses RLS.
// Two tables belong to a user rather than a client (what each has read, where to push): there Acme's
// user is the attacker against Bright's user's rows. The tracking script's tables (visits, leases,
// exhaustions) are written by the server alone: a client reads its own and nobody writes any. The
// usage ledger is the server's too, and with the markups is read by agency staff alone.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordInboundCalls } from "@/lib/calls/record-inbound-call";
import { readTrackingNumberSnapshot } from "@/lib/config/tracking-number-snapshot";
import type { Database, Queryable, Row } from "@/lib/db/database";
import { closeDatabase, getDatabase } from "@/lib/db/get-database";
import { seedDatabase } from "@/lib/db/seed-database";
import { asAnonymous, withUserClaims, type UserClaims } from "@/lib/db/with-user-claims";
import { inboundSmsSchema } from "@/lib/sms/inbound-sms";
import { recordInboundSms } from "@/lib/sms/record-inbound-sms";
import { takeTrackingNumber } from "@/lib/tracking/take-tracking-number";
import { addTrackingNumber, phoneNumber } from "../support/tracking-numbers";
import { sid } from "../support/twilio-webhook";

// The seeded agency (supabase/seed.sql): one client user each for Acme and Bright.
const AGENCY_ADMIN: UserClaims = { sub: "00000000-0000-4000-a000-000000000001", role: "authenticated" };
const ACME_USER: UserClaims = { sub: "00000000-0000-4000-a000-000000000002", role: "authenticated" };
const BRIGHT_USER: UserClaims = { sub: "00000000-0000-4000-a000-000000000003", role: "authenticated" };
const STRANGER: UserClaims = { sub: "00000000-0000-4000-a000-0000000000ff", role: "authenticated" };
// Has an auth account but no membership: what a client would try to enrol into Bright.
const RECRUIT = "00000000-0000-4000-a000-0000000000aa";

// visitId and poolNumber: a visit that leased one of the client's pool numbers (beforeAll).
type Client = { id: string; leadId: string; caller: string; trackingNumber: string; optedOut: string; visitId: string; poolNumber: string };
const ACME: Client = {
  id: "acme-plumbing",
  leadId: "10000000-0000-4000-a000-000000000001",
  caller: "+15125550134",
  trackingNumber: "+15125550100",
  optedOut: "+15125550177",
  visitId: "",
  poolNumber: "",
};
const BRIGHT: Client = {
  id: "bright-smiles",
  leadId: "10000000-0000-4000-a000-000000000003",
  caller: "+17375550145",
  trackingNumber: "+17375550200",
  optedOut: "+17375550145",
  visitId: "",
  poolNumber: "",
};

type Statement = [sql: string, params: unknown[]];
const COMMANDS = ["select", "insert", "update", "delete", "truncate"] as const;
type Command = (typeof COMMANDS)[number];

const INSERT_LEAD = "insert into public.leads (lead_key, client_id, caller, caller_withheld) values ($1, $2, $3, $4)";
const INSERT_MESSAGE =
  "insert into public.messages (message_sid, client_id, lead_id, direction, author, tracking_number, counterpart, body) values ($1, $2, $3, $4, $5, $6, $7, 'Planted')";
const INSERT_TRACKING_NUMBER = "insert into public.tracking_numbers (phone_number, client_id, primary_number) values ($1, $2, $3)";
const INSERT_CALL = "insert into public.calls (call_sid, client_id, lead_id, tracking_number, caller) values ($1, $2, $3, $4, $5)";
const INSERT_USAGE = "insert into public.usage_events (client_id, kind, direction, quantity, twilio_sid) values ($1, 'sms_segments', 'inbound', 1, $2)";
const UPSERT_MARKUP =
  "insert into public.client_billing (client_id, markup_percent) values ($1, 900) on conflict (client_id) do update set markup_percent = excluded.markup_percent";
const INSERT_VISIT_LEASE =
  "insert into public.visit_leases (tracking_number, client_id, visit_id, source, expires_at) values ($1, $2, $3, 'Google Ads', now() + interval '1 day')";

/** What the inbox sends: a reply from the client's tracking number to its lead's caller. */
const reply = (client: Client): Statement => [
  INSERT_MESSAGE,
  [sid("SM"), client.id, client.leadId, "outbound", "client", client.trackingNumber, client.caller],
];

// Every public table, and for each command the statement aimed at one client's rows. Inserts make a
// fresh row for that client; updates make a change that would matter (escalate, redirect, rewrite).
const PUBLIC_TABLES: Record<string, { ownerColumn: string } & Record<Command, (client: Client) => Statement>> = {
  clients: {
    ownerColumn: "id",
    select: (c) => ["select * from public.clients where id = $1", [c.id]],
    insert: (c) => ["insert into public.clients (id, name) values ($1, 'Intruder Co')", [`${c.id}-annex-${phoneNumber().slice(-7)}`]],
    update: (c) => ["update public.clients set name = 'Hijacked' where id = $1 returning id", [c.id]],
    delete: (c) => ["delete from public.clients where id = $1 returning id", [c.id]],
    truncate: () => ["truncate public.clients", []],
  },
  members: {
    ownerColumn: "client_id",
    select: (c) => ["select * from public.members where client_id = $1", [c.id]],
    insert: (c) => ["insert into public.members (user_id, role, client_id) values ($1, 'client', $2)", [RECRUIT, c.id]],
    update: (c) => ["update public.members set role = 'agency_admin', client_id = null where client_id = $1 returning user_id", [c.id]],
    delete: (c) => ["delete from public.members where client_id = $1 returning user_id", [c.id]],
    truncate: () => ["truncate public.members", []],
  },
  tracking_numbers: {
    ownerColumn: "client_id",
    select: (c) => ["select * from public.tracking_numbers where client_id = $1", [c.id]],
    insert: (c) => [INSERT_TRACKING_NUMBER, [phoneNumber("512"), c.id, phoneNumber("214")]],
    update: (c) => ["update public.tracking_numbers set primary_number = '+15125559999' where client_id = $1 returning phone_number", [c.id]],
    delete: (c) => ["delete from public.tracking_numbers where client_id = $1 returning phone_number", [c.id]],
    truncate: () => ["truncate public.tracking_numbers", []],
  },
  leads: {
    ownerColumn: "client_id",
    select: (c) => ["select * from public.leads where client_id = $1", [c.id]],
    insert: (c) => {
      const caller = phoneNumber();
      return [INSERT_LEAD, [`${c.id}:${caller}`, c.id, caller, false]];
    },
    update: (c) => ["update public.leads set status = 'Spam' where client_id = $1 returning id", [c.id]],
    delete: (c) => ["delete from public.leads where client_id = $1 returning id", [c.id]],
    truncate: () => ["truncate public.leads", []],
  },
  calls: {
    ownerColumn: "client_id",
    select: (c) => ["select * from public.calls where client_id = $1", [c.id]],
    insert: (c) => [INSERT_CALL, [sid("CA"), c.id, c.leadId, c.trackingNumber, c.caller]],
    update: (c) => ["update public.calls set outcome = 'missed', missed_reason = 'no-answer' where client_id = $1 returning id", [c.id]],
    delete: (c) => ["delete from public.calls where client_id = $1 returning id", [c.id]],
    truncate: () => ["truncate public.calls", []],
  },
  messages: {
    ownerColumn: "client_id",
    select: (c) => ["select * from public.messages where client_id = $1", [c.id]],
    insert: reply,
    update: (c) => ["update public.messages set body = 'Hijacked' where client_id = $1 returning id", [c.id]],
    delete: (c) => ["delete from public.messages where client_id = $1 returning id", [c.id]],
    truncate: () => ["truncate public.messages", []],
  },
  opt_outs: {
    ownerColumn: "client_id",
    select: (c) => ["select * from public.opt_outs where client_id = $1", [c.id]],
    insert: (c) => ["insert into public.opt_outs (client_id, phone, reason) values ($1, $2, 'texted STOP')", [c.id, phoneNumber()]],
    update: (c) => ["update public.opt_outs set reason = 'edited' where client_id = $1 returning phone", [c.id]],
    delete: (c) => ["delete from public.opt_outs where client_id = $1 returning phone", [c.id]],
    truncate: () => ["truncate public.opt_outs", []],
  },
  usage_events: {
    ownerColumn: "client_id",
    select: (c) => ["select * from public.usage_events where client_id = $1", [c.id]],
    insert: (c) => [INSERT_USAGE, [c.id, sid("SM")]],
    update: (c) => ["update public.usage_events set quantity = 0 where client_id = $1 returning id", [c.id]],
    delete: (c) => ["delete from public.usage_events where client_id = $1 returning id", [c.id]],
    truncate: () => ["truncate public.usage_events", []],
  },
  visits: {
    ownerColumn: "client_id",
    select: (c) => ["select * from public.visits where client_id = $1", [c.id]],
    insert: (c) => ["insert into public.visits (client_id, visitor_id, source, touched_at) values ($1, $2, 'Direct', now())", [c.id, visitorId()]],
    update: (c) => ["update public.visits set source = 'Hijacked', click_id = null where client_id = $1 returning id", [c.id]],
    delete: (c) => ["delete from public.visits where client_id = $1 returning id", [c.id]],
    truncate: () => ["truncate public.visits", []],
  },
  number_leases: {
    ownerColumn: "client_id",
    select: (c) => ["select * from public.number_leases where client_id = $1", [c.id]],
    insert: (c) => ["insert into public.number_leases (tracking_number, client_id) values ($1, $2)", [c.trackingNumber, c.id]],
    update: (c) => ["update public.number_leases set expires_at = 'infinity' where client_id = $1 returning tracking_number", [c.id]],
    delete: (c) => ["delete from public.number_leases where client_id = $1 returning tracking_number", [c.id]],
    truncate: () => ["truncate public.number_leases", []],
  },
  visit_leases: {
    ownerColumn: "client_id",
    select: (c) => ["select * from public.visit_leases where client_id = $1", [c.id]],
    insert: (c) => [INSERT_VISIT_LEASE, [c.poolNumber, c.id, c.visitId]],
    update: (c) => ["update public.visit_leases set expires_at = 'infinity' where client_id = $1 returning id", [c.id]],
    delete: (c) => ["delete from public.visit_leases where client_id = $1 returning id", [c.id]],
    truncate: () => ["truncate public.visit_leases", []],
  },
  pool_exhaustions: {
    ownerColumn: "client_id",
    select: (c) => ["select * from public.pool_exhaustions where client_id = $1", [c.id]],
    insert: (c) => ["insert into public.pool_exhaustions (client_id, source) values ($1, 'Google Ads')", [c.id]],
    update: (c) => ["update public.pool_exhaustions set occurred_at = now() - interval '1 year' where client_id = $1 returning id", [c.id]],
    delete: (c) => ["delete from public.pool_exhaustions where client_id = $1 returning id", [c.id]],
    truncate: () => ["truncate public.pool_exhaustions", []],
  },
  client_billing: {
    ownerColumn: "client_id",
    select: (c) => ["select * from public.client_billing where client_id = $1", [c.id]],
    insert: (c) => [UPSERT_MARKUP, [c.id]],
    update: (c) => ["update public.client_billing set markup_percent = 0 where client_id = $1 returning client_id", [c.id]],
    delete: (c) => ["delete from public.client_billing where client_id = $1 returning client_id", [c.id]],
    truncate: () => ["truncate public.client_billing", []],
  },
};
const PUBLIC_TABLE_NAMES = Object.keys(PUBLIC_TABLES);

// A client user's own rows in the tables kept per user: a read of its client's seeded lead and a
// push subscription (beforeAll), plus a lead of its client it has not read yet, for inserts.
type User = { claims: UserClaims; client: Client; unreadLeadId: string; pushEndpoint: string };
const ACME_MEMBER: User = { claims: ACME_USER, client: ACME, unreadLeadId: "", pushEndpoint: "" };
const BRIGHT_MEMBER: User = { claims: BRIGHT_USER, client: BRIGHT, unreadLeadId: "", pushEndpoint: "" };
const visitorId = () => randomBytes(16).toString("base64url");
const pushEndpoint = () => `https://fcm.googleapis.com/fcm/send/${sid("SM")}`;

const USER_TABLES: Record<string, Record<Command, (user: User) => Statement>> = {
  lead_reads: {
    select: (u) => ["select * from public.lead_reads where user_id = $1", [u.claims.sub]],
    insert: (u) => ["insert into public.lead_reads (user_id, lead_id) values ($1, $2)", [u.claims.sub, u.unreadLeadId]],
    update: (u) => ["update public.lead_reads set read_at = now() + interval '1 year' where user_id = $1 returning lead_id", [u.claims.sub]],
    delete: (u) => ["delete from public.lead_reads where user_id = $1 returning lead_id", [u.claims.sub]],
    truncate: () => ["truncate public.lead_reads", []],
  },
  push_subscriptions: {
    select: (u) => ["select * from public.push_subscriptions where user_id = $1", [u.claims.sub]],
    insert: (u) => ["insert into public.push_subscriptions (endpoint, user_id, p256dh, auth) values ($1, $2, 'key', 'secret')", [pushEndpoint(), u.claims.sub]],
    update: (u) => ["update public.push_subscriptions set endpoint = 'https://attacker.example.test/' || md5(endpoint) where user_id = $1 returning endpoint", [u.claims.sub]],
    delete: (u) => ["delete from public.push_subscriptions where user_id = $1 returning endpoint", [u.claims.sub]],
    truncate: () => ["truncate public.push_subscriptions", []],
  },
};
const USER_TABLE_NAMES = Object.keys(USER_TABLES);

// Every internal table, with a column an update may name. Nobody but the bypass role reaches them.
const INTERNAL_TABLES: Record<string, string> = {
  "internal.outbox": "status",
  "internal.outbox_lead_claims": "claimed_until",
  "internal.text_backs": "status",
  "internal.airtable_pace": "requests",
  "internal.pipeline_pulls": "status_modified_after",
  "internal.airtable_webhooks": "expires_at",
  "internal.airtable_syncs": "synced_at",
  "internal.reconcile_runs": "error",
  "internal.push_alerts": "created_at",
  "internal.rate_limits": "hits",
  "internal.number_holdings": "held_until",
};
const internalStatement = (table: string, command: Command): Statement => {
  const column = INTERNAL_TABLES[table];
  const sql = {
    select: `select * from ${table}`,
    insert: `insert into ${table} default values`,
    update: `update ${table} set ${column} = ${column}`,
    delete: `delete from ${table}`,
    truncate: `truncate ${table}`,
  }[command];
  return [sql, []];
};

type Outcome = "reaches no row" | "refused by a policy" | "permission denied";

// What a signed-in user gets for a client's rows it has no right to. TRUNCATE ignores RLS, so it
// must not be granted at all.
const SIGNED_IN_WITHOUT_RIGHTS: Record<Command, Outcome> = {
  select: "reaches no row",
  insert: "refused by a policy",
  update: "reaches no row",
  delete: "reaches no row",
  truncate: "permission denied",
};
// Push subscriptions are written only by the server (the "Turn on notifications" action): no
// signed-in user may insert or update one, not even their own.
const SERVER_WRITTEN: Record<Command, Outcome> = { select: "reaches no row", insert: "permission denied", update: "permission denied", delete: "reaches no row", truncate: "permission denied" };
// The tracking tables are read-only to every token: visits, leases and exhaustions come from the
// tracking endpoints alone, or a client could fake where its calls came from.
const READ_ONLY: Record<Command, Outcome> = { select: "reaches no row", insert: "permission denied", update: "permission denied", delete: "permission denied", truncate: "permission denied" };
// So is the usage ledger: its entries come from Twilio's webhooks and logs alone.
const SERVER_ONLY_TABLES = new Set(["visits", "number_leases", "visit_leases", "pool_exhaustions", "usage_events"]);
// What Twilio costs the agency and what it marks up is for agency staff: a client reads none of it.
const STAFF_READ_TABLES = new Set(["usage_events", "client_billing"]);
const signedInWithoutRights = (table: string) =>
  table === "push_subscriptions" ? SERVER_WRITTEN : SERVER_ONLY_TABLES.has(table) ? READ_ONLY : SIGNED_IN_WITHOUT_RIGHTS;
const NO_PRIVILEGE: Record<Command, Outcome> = {
  select: "permission denied",
  insert: "permission denied",
  update: "permission denied",
  delete: "permission denied",
  truncate: "permission denied",
};

let db: Database;

beforeAll(async () => {
  db = await getDatabase();
  await seedDatabase(db, { onlyIfEmpty: true });
  await db.query("insert into auth.users (id, email) values ($1, 'recruit@example.test') on conflict (id) do nothing", [RECRUIT]);
  for (const client of [ACME, BRIGHT]) {
    await db.query("insert into public.opt_outs (client_id, phone, reason) values ($1, $2, 'texted STOP') on conflict do nothing", [
      client.id,
      client.optedOut,
    ]);
    await db.query(INSERT_USAGE, [client.id, sid("SM")]);
    await db.query(UPSERT_MARKUP, [client.id]);
  }
  // Bright's own pool; Acme's is seeded. Each pool fully leased, and one visitor more who found it exhausted.
  await addTrackingNumber({ clientId: BRIGHT.id, clientName: "Bright Smiles Dental", primaryNumber: "+17375550211", smsForwardNumber: "+17375550211", numberType: "Pool" });
  for (const client of [ACME, BRIGHT]) {
    const leases = await db.query<{ tracking_number: string }>("select tracking_number from public.number_leases where client_id = $1", [client.id]);
    const pool = leases.map((lease) => lease.tracking_number);
    for (let visitor = 0; visitor <= pool.length; visitor += 1) {
      const taken = await takeTrackingNumber(db, { clientId: client.id, visitorId: visitorId(), touch: { at: Date.now(), gclid: "Cj0KCQ" }, source: "Google Ads", pool, poolSource: "Google Ads", ip: "192.0.2.1" });
      if ("leasedNumber" in taken && taken.leasedNumber) Object.assign(client, { visitId: taken.visitId, poolNumber: taken.leasedNumber });
    }
  }
  for (const member of [ACME_MEMBER, BRIGHT_MEMBER]) {
    const caller = phoneNumber();
    const [lead] = await db.query<{ id: string }>(`${INSERT_LEAD} returning id`, [`${member.client.id}:${caller}`, member.client.id, caller, false]);
    member.unreadLeadId = lead.id;
    await db.query("insert into public.lead_reads (user_id, lead_id) values ($1, $2) on conflict do nothing", [member.claims.sub, member.client.leadId]);
    const [sql, params] = USER_TABLES.push_subscriptions.insert(member);
    member.pushEndpoint = params[0] as string;
    await db.query(sql, params);
  }
});

afterAll(async () => {
  await closeDatabase();
});

type Reach = <T>(work: (tx: Queryable) => Promise<T>) => Promise<T>;
const signedInAs =
  (claims: UserClaims): Reach =>
  (work) =>
    withUserClaims(db, claims, work);
const anonymous: Reach = (work) => asAnonymous(db, work);

// withUserClaims' type admits only live user claims; these are what a careless server path could pass.
const untrustedClaims = (claims: Record<string, unknown>) => claims as unknown as UserClaims;
const epochSeconds = (offsetSeconds: number) => Math.floor(Date.now() / 1000) + offsetSeconds;

type Attempt = { rows?: Row[]; error?: Error & { code?: string } };

async function attempt(reach: Reach, [sql, params]: Statement): Promise<Attempt> {
  return reach((tx) => tx.query(sql, params)).then(
    (rows) => ({ rows }),
    (error: Error) => ({ error }),
  );
}

function expectOutcome(result: Attempt, outcome: Outcome): void {
  if (outcome === "reaches no row") {
    expect(result.error, "expected the statement to run and reach nothing").toBeUndefined();
    expect(result.rows).toEqual([]);
    return;
  }
  expect(result.error, `expected: ${outcome}`).toBeInstanceOf(Error);
  expect(result.error!.code).toBe("42501");
  expect(result.error!.message).toMatch(outcome === "refused by a policy" ? /new row violates row-level security policy/ : /permission denied/);
}

/** Runs a statement and rolls it back: what it would have reached, leaving nothing behind. */
async function dryRun(claims: UserClaims, [sql, params]: Statement): Promise<Row[]> {
  const rollback = Symbol("rollback");
  let rows: Row[] = [];
  await withUserClaims(db, claims, async (tx) => {
    rows = await tx.query(sql, params);
    throw rollback;
  }).catch((reason: unknown) => {
    if (reason !== rollback) throw reason;
  });
  return rows;
}

/** A table's rows as stored, read with the bypass role. */
async function storedRows(qualifiedTable: string): Promise<string[]> {
  const rows = await db.query<{ row: string }>(`select to_jsonb(t)::text as row from ${qualifiedTable} t order by 1`);
  return rows.map((r) => r.row);
}

/** One client's rows in a public table as stored, read with the bypass role. */
async function clientRows(table: string, client: Client): Promise<string[]> {
  const rows = await db.query<{ row: string }>(
    `select to_jsonb(t)::text as row from public.${table} t where t.${PUBLIC_TABLES[table].ownerColumn} = $1 order by 1`,
    [client.id],
  );
  return rows.map((r) => r.row);
}

/** One user's rows in a table kept per user, as stored. */
async function userRows(table: string, user: User): Promise<string[]> {
  const rows = await db.query<{ row: string }>(`select to_jsonb(t)::text as row from public.${table} t where t.user_id = $1 order by 1`, [user.claims.sub]);
  return rows.map((r) => r.row);
}

async function everyStoredRow(): Promise<Record<string, string[]>> {
  const everything: Record<string, string[]> = {};
  for (const table of [...[...PUBLIC_TABLE_NAMES, ...USER_TABLE_NAMES].map((name) => `public.${name}`), ...Object.keys(INTERNAL_TABLES)]) {
    everything[table] = await storedRows(table);
  }
  return everything;
}

describe("the matrix covers the whole schema", () => {
  it("lists every table in the public schema, each with rows for both clients or both client users", async () => {
    const tables = await db.query<{ name: string }>(
      "select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind in ('r', 'p') order by 1",
    );
    expect(tables.map((t) => t.name)).toEqual([...PUBLIC_TABLE_NAMES, ...USER_TABLE_NAMES].sort());
    for (const table of PUBLIC_TABLE_NAMES) {
      for (const client of [ACME, BRIGHT]) {
        expect((await clientRows(table, client)).length, `${client.id} rows in ${table}`).toBeGreaterThan(0);
      }
    }
    for (const table of USER_TABLE_NAMES) {
      for (const member of [ACME_MEMBER, BRIGHT_MEMBER]) {
        expect((await userRows(table, member)).length, `${member.client.id}'s user's rows in ${table}`).toBeGreaterThan(0);
      }
    }
  });

  it("lists every table in the internal schema", async () => {
    const tables = await db.query<{ name: string }>(
      "select 'internal.' || c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'internal' and c.relkind in ('r', 'p') order by 1",
    );
    expect(tables.map((t) => t.name)).toEqual(Object.keys(INTERNAL_TABLES).sort());
  });
});

describe.each(PUBLIC_TABLE_NAMES)("Acme's user against Bright's rows in public.%s", (table) => {
  const statements = PUBLIC_TABLES[table];

  it.each(COMMANDS)("%s: reaches none of them and changes nothing", async (command) => {
    const before = await clientRows(table, BRIGHT);
    const everyRowBefore = await storedRows(`public.${table}`);

    expectOutcome(await attempt(signedInAs(ACME_USER), statements[command](BRIGHT)), signedInWithoutRights(table)[command]);

    expect(await clientRows(table, BRIGHT)).toEqual(before);
    expect(await storedRows(`public.${table}`)).toEqual(everyRowBefore);

    // The same statement does reach Bright's rows for someone allowed to, so the refusal above
    // is the database's rule, not a statement that could never work.
    if (command === "select") {
      const reader = STAFF_READ_TABLES.has(table) ? AGENCY_ADMIN : BRIGHT_USER;
      expect(await signedInAs(reader)((tx) => tx.query(...statements.select(BRIGHT)))).not.toEqual([]);
    } else if (command === "truncate" || signedInWithoutRights(table)[command] === "permission denied") {
      // TRUNCATE ignores RLS, and the tracking tables and the ledger are the server's alone: no token may, staff included.
      expectOutcome(await attempt(signedInAs(AGENCY_ADMIN), statements[command](BRIGHT)), "permission denied");
    } else if (command === "insert") {
      await expect(dryRun(AGENCY_ADMIN, statements.insert(BRIGHT))).resolves.toEqual([]);
    } else {
      expect(await dryRun(AGENCY_ADMIN, statements[command](BRIGHT))).not.toEqual([]);
    }
  });
});

describe.each(USER_TABLE_NAMES)("Acme's user against Bright's user's rows in public.%s", (table) => {
  const statements = USER_TABLES[table];

  it.each(COMMANDS)("%s: reaches none of them and changes nothing", async (command) => {
    const before = await userRows(table, BRIGHT_MEMBER);
    const everyRowBefore = await storedRows(`public.${table}`);

    expectOutcome(await attempt(signedInAs(ACME_USER), statements[command](BRIGHT_MEMBER)), signedInWithoutRights(table)[command]);

    expect(await userRows(table, BRIGHT_MEMBER)).toEqual(before);
    expect(await storedRows(`public.${table}`)).toEqual(everyRowBefore);

    // Bright's own user does reach them: the refusal above is the database's rule about whose row it is.
    if (command === "truncate" || signedInWithoutRights(table)[command] === "permission denied") {
      expectOutcome(await attempt(signedInAs(BRIGHT_USER), statements[command](BRIGHT_MEMBER)), "permission denied");
    } else if (command === "insert") {
      await expect(dryRun(BRIGHT_USER, statements.insert(BRIGHT_MEMBER))).resolves.toEqual([]);
    } else {
      expect(await dryRun(BRIGHT_USER, statements[command](BRIGHT_MEMBER))).not.toEqual([]);
    }
  });
});

describe("rows Acme's user could plant for a later webhook to attach to Bright, or to steer replies", () => {
  const refused: Outcome = "refused by a policy";
  const PLANTS: Array<[string, () => Statement, Outcome]> = [
    // Leads: the webhooks upsert on lead_key, so a planted key would own the next contact.
    ["a lead under Bright's key for a new caller, labelled as Acme's", () => lead(`${BRIGHT.id}:`, ACME.id), refused],
    ["a lead under Bright's key and Bright's client", () => lead(`${BRIGHT.id}:`, BRIGHT.id), refused],
    ["a lead for its own client and caller: leads come only from calls and texts", () => lead(`${ACME.id}:`, ACME.id), refused],
    ["an Acme lead whose key names another caller", () => [INSERT_LEAD, [`${ACME.id}:${phoneNumber()}`, ACME.id, phoneNumber(), false]], refused],
    ["a withheld caller's lead under Bright's prefix", () => [INSERT_LEAD, [`${BRIGHT.id}:withheld:${sid("CA")}`, ACME.id, "anonymous", true]], refused],
    [
      "an upsert onto Bright's existing lead",
      () => [`${INSERT_LEAD} on conflict (lead_key) do update set status = 'Spam'`, [`${BRIGHT.id}:${BRIGHT.caller}`, ACME.id, BRIGHT.caller, false]],
      refused,
    ],
    // Messages: replies go to whoever last texted a tracking number, so a lead's text steers them.
    ["a text as if from Acme's own lead", () => message({ direction: "inbound", author: "lead" }), refused],
    ["an outbound text marked as the lead's", () => message({ author: "lead" }), refused],
    ["an automatic text", () => message({ author: "auto" }), refused],
    ["an inbound text marked as the client's", () => message({ direction: "inbound" }), refused],
    [
      "a lead's text on Bright's tracking number, labelled as Acme's, with no lead",
      () => message({ direction: "inbound", author: "lead", leadId: null, trackingNumber: BRIGHT.trackingNumber, counterpart: phoneNumber() }),
      refused,
    ],
    ["a reply from Bright's tracking number to an Acme lead", () => message({ trackingNumber: BRIGHT.trackingNumber }), refused],
    ["a reply on Bright's lead, labelled as Acme's", () => message({ leadId: BRIGHT.leadId, counterpart: BRIGHT.caller }), refused],
    [
      "a reply on Bright's lead, labelled as Bright's",
      () => message({ clientId: BRIGHT.id, leadId: BRIGHT.leadId, trackingNumber: BRIGHT.trackingNumber, counterpart: BRIGHT.caller }),
      refused,
    ],
    ["a reply on an Acme lead, addressed to Bright's caller", () => message({ counterpart: BRIGHT.caller }), refused],
    ["a reply with no lead", () => message({ leadId: null }), refused],
    ["a reply backdated by its own created_at", () => replyWith("created_at", "2020-01-01T00:00:00Z"), "permission denied"],
    ["a reply with its own delivery status", () => replyWith("status", "delivered"), "permission denied"],
    ["a reply with its own error code", () => replyWith("error_code", 21610), "permission denied"],
    // The tables only webhooks and staff write.
    ["an opt-out for Bright's caller, under Bright", () => optOut(BRIGHT.id, BRIGHT.caller), refused],
    ["an opt-out for Bright's caller, under Acme", () => optOut(ACME.id, BRIGHT.caller), refused],
    ["a usage event for Acme", () => [INSERT_USAGE, [ACME.id, sid("CA")]], "permission denied"],
    ["a markup for its own client", () => [UPSERT_MARKUP, [ACME.id]], refused],
    ["a tracking number for a new number, under Acme", () => [INSERT_TRACKING_NUMBER, [phoneNumber(), ACME.id, phoneNumber()]], refused],
    [
      "Bright's tracking number taken over by an upsert",
      () => [`${INSERT_TRACKING_NUMBER} on conflict (phone_number) do update set client_id = excluded.client_id`, [BRIGHT.trackingNumber, ACME.id, ACME.caller]],
      refused,
    ],
    ["a call on Bright's tracking number, under Acme", () => [INSERT_CALL, [sid("CA"), ACME.id, ACME.leadId, BRIGHT.trackingNumber, ACME.caller]], refused],
    // Read marks and push subscriptions: its own, about Bright's lead, or handed to Bright's user.
    ["a read of Bright's lead, as itself", () => ["insert into public.lead_reads (user_id, lead_id) values ($1, $2)", [ACME_USER.sub, BRIGHT.leadId]], refused],
    ["its own read moved onto Bright's lead", () => ["update public.lead_reads set lead_id = $1 where user_id = $2 returning 1 as hit", [BRIGHT.leadId, ACME_USER.sub]], refused],
    ["its own read handed to Bright's user", () => ["update public.lead_reads set user_id = $1 where user_id = $2 returning 1 as hit", [BRIGHT_USER.sub, ACME_USER.sub]], refused],
    ["a push subscription for Bright's user", () => USER_TABLES.push_subscriptions.insert(BRIGHT_MEMBER), "permission denied"],
    [
      "its own push subscription handed to Bright's user",
      () => ["update public.push_subscriptions set user_id = $1 where user_id = $2 returning 1 as hit", [BRIGHT_USER.sub, ACME_USER.sub]],
      "permission denied",
    ],
    [
      "Bright's user's push endpoint taken over by an upsert",
      () => [
        "insert into public.push_subscriptions (endpoint, user_id, p256dh, auth) values ($2, $1, 'key', 'secret') on conflict (endpoint) do update set user_id = excluded.user_id",
        [ACME_USER.sub, BRIGHT_MEMBER.pushEndpoint],
      ],
      "permission denied",
    ],
    // Moving its own rows across to Bright.
    ["its own leads moved to Bright", () => acmeRows("leads", "client_id = $1", [BRIGHT.id]), "permission denied"],
    ["its own leads rekeyed to a Bright key", () => acmeRows("leads", "lead_key = $1", [`${BRIGHT.id}:${phoneNumber()}`]), "permission denied"],
    ["its own leads' caller rewritten", () => acmeRows("leads", "caller = $1", [phoneNumber()]), "permission denied"],
    ["its own messages moved to Bright", () => acmeRows("messages", "client_id = $1", [BRIGHT.id]), "reaches no row"],
    ["its own messages moved onto Bright's lead", () => acmeRows("messages", "lead_id = $1", [BRIGHT.leadId]), "reaches no row"],
    ["its own messages re-marked as the lead's", () => acmeRows("messages", "author = 'lead', direction = 'inbound'", []), "reaches no row"],
    ["its own calls moved to Bright", () => acmeRows("calls", "client_id = $1, tracking_number = $2", [BRIGHT.id, BRIGHT.trackingNumber]), "reaches no row"],
    ["its own tracking numbers handed to Bright", () => acmeRows("tracking_numbers", "client_id = $1", [BRIGHT.id]), "reaches no row"],
    ["its own opt-outs moved to Bright", () => acmeRows("opt_outs", "client_id = $1", [BRIGHT.id]), "reaches no row"],
    ["its own usage moved to Bright", () => acmeRows("usage_events", "client_id = $1", [BRIGHT.id]), "permission denied"],
    ["its own usage priced at nothing", () => acmeRows("usage_events", "price = 0, price_unit = 'USD'", []), "permission denied"],
    ["its own markup set to nothing", () => acmeRows("client_billing", "markup_percent = 0", []), "reaches no row"],
    ["its own membership moved to Bright", () => acmeRows("members", "client_id = $1", [BRIGHT.id]), "reaches no row"],
    ["its own membership made agency staff", () => acmeRows("members", "role = 'agency_admin', client_id = null", []), "reaches no row"],
    // Visits and leases decide where a call came from: a client must not plant or move them.
    ["its own pool numbers held forever", () => acmeRows("number_leases", "expires_at = 'infinity'", []), "permission denied"],
    ["its own visits rewritten to another source", () => acmeRows("visits", "source = 'Google Ads', click_id = 'planted'", []), "permission denied"],
    ["a lease of Bright's pool number for Acme's visit", () => [INSERT_VISIT_LEASE, [BRIGHT.poolNumber, ACME.id, ACME.visitId]], "permission denied"],
  ];

  function lead(keyPrefix: string, clientId: string): Statement {
    const caller = phoneNumber();
    return [INSERT_LEAD, [`${keyPrefix}${caller}`, clientId, caller, false]];
  }
  type MessageFields = Record<"clientId" | "leadId" | "direction" | "author" | "trackingNumber" | "counterpart", string | null>;
  /** Acme's inbox reply with one or more fields changed. */
  function message(overrides: Partial<MessageFields>): Statement {
    const m: MessageFields = {
      clientId: ACME.id,
      leadId: ACME.leadId,
      direction: "outbound",
      author: "client",
      trackingNumber: ACME.trackingNumber,
      counterpart: ACME.caller,
      ...overrides,
    };
    return [INSERT_MESSAGE, [sid("SM"), m.clientId, m.leadId, m.direction, m.author, m.trackingNumber, m.counterpart]];
  }
  function replyWith(column: string, value: unknown): Statement {
    const [sql, params] = reply(ACME);
    return [sql.replace(", body)", `, body, ${column})`).replace("'Planted')", "'Planted', $8)"), [...params, value]];
  }
  function optOut(clientId: string, phone: string): Statement {
    return ["insert into public.opt_outs (client_id, phone, reason) values ($1, $2, 'texted STOP')", [clientId, phone]];
  }
  /** An update of all of Acme's own rows in a table. */
  function acmeRows(table: string, set: string, params: unknown[]): Statement {
    return [`update public.${table} set ${set} where client_id = $${params.length + 1} returning 1 as hit`, [...params, ACME.id]];
  }

  it.each(PLANTS)("%s: not stored", async (_name, statement, outcome) => {
    const before = await everyStoredRow();
    expectOutcome(await attempt(signedInAs(ACME_USER), statement()), outcome);
    expect(await everyStoredRow()).toEqual(before);
  });

  it("still lets the inbox send Acme's reply, which Bright never sees", async () => {
    const [sql, params] = reply(ACME);
    const [inserted] = await signedInAs(ACME_USER)((tx) => tx.query(`${sql} returning id, created_at, status`, params));
    const [stored] = await db.query("select client_id, lead_id, author, direction, status from public.messages where id = $1", [inserted.id]);
    expect(stored).toEqual({ client_id: ACME.id, lead_id: ACME.leadId, author: "client", direction: "outbound", status: null });
    expect(await signedInAs(BRIGHT_USER)((tx) => tx.query("select id from public.messages where id = $1", [inserted.id]))).toEqual([]);
  });

  it("still lets agency staff write any client's messages, of any author", async () => {
    expect(await dryRun(AGENCY_ADMIN, [`${reply(BRIGHT)[0]} returning id`, reply(BRIGHT)[1]])).toHaveLength(1);
    const leadsText: Statement = [`${INSERT_MESSAGE} returning id`, [sid("SM"), BRIGHT.id, BRIGHT.leadId, "inbound", "lead", BRIGHT.trackingNumber, BRIGHT.caller]];
    expect(await dryRun(AGENCY_ADMIN, leadsText)).toHaveLength(1);
  });

  it("Bright's next caller lands on Bright's own lead, whatever Acme planted for that caller first", async () => {
    const caller = phoneNumber("737");
    const planted: Statement[] = [
      [INSERT_LEAD, [`${BRIGHT.id}:${caller}`, ACME.id, caller, false]],
      [INSERT_LEAD, [`${BRIGHT.id}:${caller}`, BRIGHT.id, caller, false]],
      [INSERT_MESSAGE, [sid("SM"), ACME.id, null, "inbound", "lead", BRIGHT.trackingNumber, caller]],
      [INSERT_MESSAGE, [sid("SM"), ACME.id, ACME.leadId, "outbound", "client", BRIGHT.trackingNumber, caller]],
      optOut(BRIGHT.id, caller),
    ];
    for (const statement of planted) expectOutcome(await attempt(signedInAs(ACME_USER), statement), "refused by a policy");

    const config = await readTrackingNumberSnapshot(db, BRIGHT.trackingNumber);
    expect(config?.clientId).toBe(BRIGHT.id);
    const callSid = sid("CA");
    const messageSid = sid("SM");
    await recordInboundCalls(db, [{ config: config!, call: { CallSid: callSid, From: caller, To: BRIGHT.trackingNumber } }]);
    const sms = inboundSmsSchema.parse({ MessageSid: messageSid, From: caller, To: BRIGHT.trackingNumber, Body: "Do you take Delta Dental?" });
    await db.transaction((tx) => recordInboundSms(tx, config!, sms, undefined, new Date()));

    const leads = await db.query<{ id: string }>("select id, client_id, lead_key from public.leads where caller = $1", [caller]);
    expect(leads).toEqual([{ id: expect.any(String), client_id: BRIGHT.id, lead_key: `${BRIGHT.id}:${caller}` }]);
    const leadId = leads[0].id;
    expect(await db.query("select client_id, lead_id from public.calls where call_sid = $1", [callSid])).toEqual([{ client_id: BRIGHT.id, lead_id: leadId }]);
    expect(await db.query("select message_sid, client_id, lead_id, author from public.messages where counterpart = $1 or lead_id = $2", [caller, leadId])).toEqual([
      { message_sid: messageSid, client_id: BRIGHT.id, lead_id: leadId, author: "lead" },
    ]);
    expect(await db.query("select 1 from public.opt_outs where phone = $1", [caller])).toEqual([]);

    expect(await signedInAs(BRIGHT_USER)((tx) => tx.query("select id from public.leads where caller = $1", [caller]))).toEqual([{ id: leadId }]);
    expect(await signedInAs(ACME_USER)((tx) => tx.query("select id from public.leads where caller = $1", [caller]))).toEqual([]);
  });
});

describe("a lead's key is its own client and caller, whoever writes it", () => {
  it.each([
    ["another client's prefix", () => [`${BRIGHT.id}:${ACME.caller}`, ACME.id, ACME.caller, false]],
    ["another caller", () => [`${ACME.id}:${phoneNumber()}`, ACME.id, phoneNumber(), false]],
    ["a withheld key for a caller who is not withheld", () => [`${ACME.id}:withheld:${sid("CA")}`, ACME.id, phoneNumber(), false]],
    ["a withheld caller under another client's prefix", () => [`${BRIGHT.id}:withheld:${sid("CA")}`, ACME.id, "anonymous", true]],
    ["a withheld caller with no call to key it by", () => [`${ACME.id}:withheld:`, ACME.id, "anonymous", true]],
  ])("refuses, even to the bypass role, a key naming %s", async (_name, params) => {
    const error = await db.query(INSERT_LEAD, params()).then(
      () => undefined,
      (reason: Error & { code?: string }) => reason,
    );
    expect(error?.code).toBe("23514");
    expect(error?.message).toMatch(/leads_key_is_client_and_caller/);
  });

  it("accepts every lead the webhooks write, withheld callers included", async () => {
    const config = await readTrackingNumberSnapshot(db, BRIGHT.trackingNumber);
    const calls = [phoneNumber("737"), "anonymous", "anonymous"].map((from) => ({ config: config!, call: { CallSid: sid("CA"), From: from, To: BRIGHT.trackingNumber } }));
    await recordInboundCalls(db, calls);
    const leads = await db.query<{ call_sid: string; lead_key: string; client_id: string }>(
      "select c.call_sid, l.lead_key, l.client_id from public.calls c join public.leads l on l.id = c.lead_id where c.call_sid = any($1)",
      [calls.map(({ call }) => call.CallSid)],
    );
    const keyOf = new Map(leads.map((row) => [row.call_sid, row]));
    expect(calls.map(({ call }) => keyOf.get(call.CallSid))).toEqual([
      { call_sid: calls[0].call.CallSid, lead_key: `${BRIGHT.id}:${calls[0].call.From}`, client_id: BRIGHT.id },
      { call_sid: calls[1].call.CallSid, lead_key: `${BRIGHT.id}:withheld:${calls[1].call.CallSid}`, client_id: BRIGHT.id },
      { call_sid: calls[2].call.CallSid, lead_key: `${BRIGHT.id}:withheld:${calls[2].call.CallSid}`, client_id: BRIGHT.id },
    ]);
  });
});

describe("tokens that must reach nothing", () => {
  const OUTSIDERS: Array<[string, Reach, Record<Command, Outcome>]> = [
    ["the anonymous role (no token)", anonymous, NO_PRIVILEGE],
    ["a signed-in user who belongs to no client", signedInAs(STRANGER), SIGNED_IN_WITHOUT_RIGHTS],
    ["Acme's user id under a role 'anon' claim", signedInAs(untrustedClaims({ sub: ACME_USER.sub, role: "anon" })), SIGNED_IN_WITHOUT_RIGHTS],
    ["the agency admin's id under a role 'service_role' claim", signedInAs(untrustedClaims({ sub: AGENCY_ADMIN.sub, role: "service_role" })), SIGNED_IN_WITHOUT_RIGHTS],
    ["the agency admin's token, expired", signedInAs(untrustedClaims({ ...AGENCY_ADMIN, exp: epochSeconds(-60) })), SIGNED_IN_WITHOUT_RIGHTS],
    ["Acme's user token, expired", signedInAs(untrustedClaims({ ...ACME_USER, exp: epochSeconds(-60) })), SIGNED_IN_WITHOUT_RIGHTS],
    ["Acme's user token with an exp that is not a time", signedInAs(untrustedClaims({ ...ACME_USER, exp: "never" })), SIGNED_IN_WITHOUT_RIGHTS],
  ];

  /** What an outsider gets in a table: a signed-in one meets that table's own rules. */
  const outcomeFor = (expected: Record<Command, Outcome>, table: string) => (expected === SIGNED_IN_WITHOUT_RIGHTS ? signedInWithoutRights(table) : expected);

  describe.each(OUTSIDERS)("%s", (_who, reach, expected) => {
    describe.each(PUBLIC_TABLE_NAMES)("public.%s", (table) => {
      it.each(COMMANDS)("%s: reaches no client's rows", async (command) => {
        const before = await storedRows(`public.${table}`);
        for (const client of [ACME, BRIGHT]) {
          expectOutcome(await attempt(reach, PUBLIC_TABLES[table][command](client)), outcomeFor(expected, table)[command]);
        }
        expect(await storedRows(`public.${table}`)).toEqual(before);
      });
    });

    describe.each(USER_TABLE_NAMES)("public.%s", (table) => {
      it.each(COMMANDS)("%s: reaches no client user's rows", async (command) => {
        const before = await storedRows(`public.${table}`);
        for (const member of [ACME_MEMBER, BRIGHT_MEMBER]) {
          expectOutcome(await attempt(reach, USER_TABLES[table][command](member)), outcomeFor(expected, table)[command]);
        }
        expect(await storedRows(`public.${table}`)).toEqual(before);
      });
    });
  });

  // Staff reach every client's rows, but what a user has read and where their phone gets pushed
  // stay that user's own.
  describe.each(USER_TABLE_NAMES)("agency staff against client users' rows in public.%s", (table) => {
    it.each(COMMANDS)("%s: reaches none of them", async (command) => {
      const before = await storedRows(`public.${table}`);
      for (const member of [ACME_MEMBER, BRIGHT_MEMBER]) {
        expectOutcome(await attempt(signedInAs(AGENCY_ADMIN), USER_TABLES[table][command](member)), signedInWithoutRights(table)[command]);
      }
      expect(await storedRows(`public.${table}`)).toEqual(before);
    });
  });

  it("while the same users' live tokens (exp in the future) reach their own rows", async () => {
    const live = (claims: UserClaims) => signedInAs({ ...claims, exp: epochSeconds(3600) });
    const acmeLeads = await live(ACME_USER)((tx) => tx.query<{ client_id: string }>("select client_id from public.leads"));
    expect(new Set(acmeLeads.map((row) => row.client_id))).toEqual(new Set([ACME.id]));
    const staffLeads = await live(AGENCY_ADMIN)((tx) => tx.query<{ client_id: string }>("select client_id from public.leads"));
    expect(new Set(staffLeads.map((row) => row.client_id))).toEqual(new Set([ACME.id, BRIGHT.id]));
    expect(await live(ACME_USER)((tx) => tx.query("select user_id from public.members"))).toEqual([{ user_id: ACME_USER.sub }]);
  });
});

describe("internal tables are out of reach", () => {
  const REACHERS: Array<[string, Reach]> = [
    ["Acme's user", signedInAs(ACME_USER)],
    ["agency staff", signedInAs(AGENCY_ADMIN)],
    ["the anonymous role", anonymous],
    ["the agency admin's id under a role 'service_role' claim", signedInAs(untrustedClaims({ sub: AGENCY_ADMIN.sub, role: "service_role" }))],
  ];

  describe.each(REACHERS)("for %s", (_who, reach) => {
    describe.each(Object.keys(INTERNAL_TABLES))("%s", (table) => {
      it.each(COMMANDS)("%s: permission denied, nothing changed", async (command) => {
        const before = await storedRows(table);
        expectOutcome(await attempt(reach, internalStatement(table, command)), "permission denied");
        expect(await storedRows(table)).toEqual(before);
      });
    });
  });
});
