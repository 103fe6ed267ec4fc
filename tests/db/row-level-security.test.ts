// Row Level Security is the last line between one client's data and another's: these tests run
// real queries as each kind of user, on the embedded database and on PostgreSQL, and check that
// Postgres itself keeps client users to their own client's leads, calls and messages, even when
// the query forgets its WHERE clause.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, Queryable, Row } from "@/lib/db/database";
import { closeDatabase, getDatabase } from "@/lib/db/get-database";
import { seedDatabase } from "@/lib/db/seed-database";
import { asAnonymous, withUserClaims, type UserClaims } from "@/lib/db/with-user-claims";

// The seeded agency (supabase/seed.sql).
const AGENCY_ADMIN: UserClaims = { sub: "00000000-0000-4000-a000-000000000001", role: "authenticated" };
const ACME_USER: UserClaims = { sub: "00000000-0000-4000-a000-000000000002", role: "authenticated" };
const BRIGHT_USER: UserClaims = { sub: "00000000-0000-4000-a000-000000000003", role: "authenticated" };
// Signed in, but not a member of the agency at all.
const STRANGER: UserClaims = { sub: "00000000-0000-4000-a000-0000000000ff", role: "authenticated" };

const ACME = "acme-plumbing";
const BRIGHT = "bright-smiles";
const ACME_LEAD = "10000000-0000-4000-a000-000000000001";
const BRIGHT_LEAD = "10000000-0000-4000-a000-000000000003";

const CLIENT_TABLES = ["leads", "calls", "messages"] as const;
type ClientTable = (typeof CLIENT_TABLES)[number];

// Per table: a text column any test may overwrite, and the SQL inserting a fresh row for a client.
let rowsMade = 0;
function nextNumber(): string {
  rowsMade += 1;
  return String(rowsMade).padStart(4, "0");
}

const TABLES: Record<ClientTable, { column: string; newRow: (clientId: string, leadId: string) => [string, unknown[]] }> = {
  leads: {
    column: "status",
    newRow: (clientId) => {
      const caller = `+1512555${nextNumber()}`;
      return ["insert into public.leads (lead_key, client_id, caller) values ($1, $2, $3) returning id", [`${clientId}:${caller}`, clientId, caller]];
    },
  },
  calls: {
    column: "status",
    newRow: (clientId, leadId) => [
      "insert into public.calls (call_sid, client_id, lead_id, tracking_number, caller) values ($1, $2, $3, '+15125550100', '+15125550134') returning id",
      [`CA${nextNumber().padStart(32, "0")}`, clientId, leadId],
    ],
  },
  messages: {
    column: "body",
    newRow: (clientId, leadId) => [
      "insert into public.messages (message_sid, client_id, lead_id, direction, author, tracking_number, counterpart, body) values ($1, $2, $3, 'outbound', 'client', '+15125550100', '+15125550134', 'On our way') returning id",
      [`SM${nextNumber().padStart(32, "0")}`, clientId, leadId],
    ],
  },
};

let db: Database;

beforeAll(async () => {
  db = await getDatabase();
  await seedDatabase(db, { onlyIfEmpty: true });
});

afterAll(async () => {
  await closeDatabase();
});

const as = <T>(user: UserClaims, work: (tx: Queryable) => Promise<T>) => withUserClaims(db, user, work);

/** What is really in the table, read as the superuser the tests connect with (no RLS). */
async function actualRows(table: string, where = "true", params: unknown[] = []): Promise<Row[]> {
  return db.query(`select * from ${table} where ${where} order by id`, params);
}

async function idsOf(table: ClientTable, clientId: string): Promise<string[]> {
  const rows = await actualRows(`public.${table}`, "client_id = $1", [clientId]);
  return rows.map((row) => String(row.id));
}

/** The promise must fail with Postgres' insufficient_privilege (42501) and a message like `message`. */
async function expectRefused(work: Promise<unknown>, message: RegExp): Promise<void> {
  const error = await work.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error, "expected the database to refuse").toBeInstanceOf(Error);
  expect((error as Error).message).toMatch(message);
  expect((error as { code?: string }).code).toBe("42501");
}

const RLS_REFUSAL = /new row violates row-level security policy/;
const PERMISSION_DENIED = /permission denied/;

describe("the fixture", () => {
  it("runs on the database this project targets", () => {
    expect(db.kind).toBe(process.env.DATABASE_URL ? "postgres" : "embedded");
  });

  it("has rows for both clients in every client table, so isolation is tested against real neighbours", async () => {
    for (const table of CLIENT_TABLES) {
      expect((await idsOf(table, ACME)).length, `${table} for ${ACME}`).toBeGreaterThan(0);
      expect((await idsOf(table, BRIGHT)).length, `${table} for ${BRIGHT}`).toBeGreaterThan(0);
    }
  });
});

describe("RLS is switched on everywhere", () => {
  it("enables row level security on every table in the public and internal schemas", async () => {
    const tables = await db.query<{ name: string; rls: boolean }>(`
      select n.nspname || '.' || c.relname as name, c.relrowsecurity as rls
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname in ('public', 'internal') and c.relkind in ('r', 'p')
      order by 1`);
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(["public.leads", "public.calls", "public.messages", "internal.outbox", "internal.text_backs"]),
    );
    expect(tables.filter((t) => !t.rls).map((t) => t.name)).toEqual([]);
  });

  it("gives every public table exactly one policy per command, each for signed-in users only", async () => {
    const tables = await db.query<{ name: string }>(
      "select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind in ('r', 'p') order by 1",
    );
    const policies = await db.query<{ tablename: string; cmd: string; roles: string[] | string }>(
      "select tablename, cmd, roles from pg_policies where schemaname = 'public' order by tablename, cmd",
    );
    expect(tables.length).toBeGreaterThan(0);
    for (const { name } of tables) {
      const commands = policies.filter((p) => p.tablename === name).map((p) => p.cmd);
      expect(commands.sort(), `policies on public.${name}`).toEqual(["DELETE", "INSERT", "SELECT", "UPDATE"]);
    }
    for (const policy of policies) {
      // pg returns name[] as a string ("{authenticated}"), PGlite as an array.
      const roles = Array.isArray(policy.roles) ? policy.roles : policy.roles.replace(/[{}]/g, "").split(",");
      expect(roles, `roles of the ${policy.cmd} policy on ${policy.tablename}`).toEqual(["authenticated"]);
    }
  });
});

describe.each(CLIENT_TABLES)("a client user and public.%s", (table) => {
  const { column, newRow } = TABLES[table];

  it("sees only their own client's rows when the query has no WHERE clause at all", async () => {
    const acmeSees = await as(ACME_USER, (tx) => tx.query(`select id, client_id from public.${table} order by id`));
    expect(acmeSees.map((row) => String(row.id))).toEqual(await idsOf(table, ACME));

    const brightSees = await as(BRIGHT_USER, (tx) => tx.query(`select id, client_id from public.${table} order by id`));
    expect(brightSees.map((row) => String(row.id))).toEqual(await idsOf(table, BRIGHT));
  });

  it("cannot read another client's row even by asking for its id", async () => {
    const [brightId] = await idsOf(table, BRIGHT);
    const rows = await as(ACME_USER, (tx) => tx.query(`select * from public.${table} where id = $1`, [brightId]));
    expect(rows).toEqual([]);
  });

  it("updates none of another client's rows, and leaves them unchanged", async () => {
    const before = await actualRows(`public.${table}`, "client_id = $1", [BRIGHT]);
    const updated = await as(ACME_USER, (tx) =>
      tx.query(`update public.${table} set ${column} = 'Spam' where client_id = $1 returning id`, [BRIGHT]),
    );
    const updatedById = await as(ACME_USER, (tx) =>
      tx.query(`update public.${table} set ${column} = 'Spam' where id = $1 returning id`, [before[0].id]),
    );
    expect(updated).toEqual([]);
    expect(updatedById).toEqual([]);
    expect(await actualRows(`public.${table}`, "client_id = $1", [BRIGHT])).toEqual(before);
  });

  it("deletes none of another client's rows", async () => {
    const before = await actualRows(`public.${table}`, "client_id = $1", [BRIGHT]);
    const deleted = await as(ACME_USER, (tx) => tx.query(`delete from public.${table} where client_id = $1 returning id`, [BRIGHT]));
    const deletedUnfiltered = await as(ACME_USER, (tx) => tx.query(`delete from public.${table} where client_id <> $1 returning id`, [ACME]));
    expect(deleted).toEqual([]);
    expect(deletedUnfiltered).toEqual([]);
    expect(await actualRows(`public.${table}`, "client_id = $1", [BRIGHT])).toEqual(before);
  });

  it("deletes none of their own client's rows either: only agency staff delete", async () => {
    const before = await idsOf(table, ACME);
    const deleted = await as(ACME_USER, (tx) => tx.query(`delete from public.${table} returning id`));
    expect(deleted).toEqual([]);
    expect(await idsOf(table, ACME)).toEqual(before);
  });

  it("is refused a row inserted for another client", async () => {
    const before = await idsOf(table, BRIGHT);
    const [sql, params] = newRow(BRIGHT, BRIGHT_LEAD);
    await expectRefused(
      as(ACME_USER, (tx) => tx.query(sql, params)),
      RLS_REFUSAL,
    );
    expect(await idsOf(table, BRIGHT)).toEqual(before);
  });
});

describe("what a client user may do with their own client's data", () => {
  it("changes the status of their own lead", async () => {
    const updated = await as(ACME_USER, (tx) =>
      tx.query("update public.leads set status = 'Won' where id = $1 returning id", [ACME_LEAD]),
    );
    expect(updated).toEqual([{ id: ACME_LEAD }]);
    const [lead] = await actualRows("public.leads", "id = $1", [ACME_LEAD]);
    expect(lead.status).toBe("Won");
  });

  it("cannot rewrite their own lead's client, caller, key or change times: only what they know of it", async () => {
    for (const [column, value] of [
      ["client_id", BRIGHT],
      ["caller", "+15125550000"],
      ["lead_key", "bright-smiles:+17375550145"],
      ["status_changed_at", "2999-01-01T00:00:00Z"],
      ["updated_at", "2999-01-01T00:00:00Z"],
    ]) {
      await expectRefused(
        as(ACME_USER, (tx) => tx.query(`update public.leads set ${column} = $1 where id = $2`, [value, ACME_LEAD])),
        /permission denied for table leads/,
      );
    }
    const [lead] = await actualRows("public.leads", "id = $1", [ACME_LEAD]);
    expect(lead).toMatchObject({ client_id: ACME, caller: "+15125550134", lead_key: "acme-plumbing:+15125550134" });
  });

  it("cannot add a lead even for their own client: leads come from calls and texts", async () => {
    const before = await idsOf("leads", ACME);
    const [sql, params] = TABLES.leads.newRow(ACME, ACME_LEAD);
    await expectRefused(
      as(ACME_USER, (tx) => tx.query(sql, params)),
      RLS_REFUSAL,
    );
    expect(await idsOf("leads", ACME)).toEqual(before);
  });

  it("sends a reply on their own lead, which the other client never sees", async () => {
    const [sql, params] = TABLES.messages.newRow(ACME, ACME_LEAD);
    const [inserted] = await as(ACME_USER, (tx) => tx.query(sql, params));

    const [message] = await actualRows("public.messages", "id = $1", [inserted.id]);
    expect(message).toMatchObject({ client_id: ACME, lead_id: ACME_LEAD, author: "client" });
    expect(await as(ACME_USER, (tx) => tx.query("select id from public.messages where id = $1", [inserted.id]))).toHaveLength(1);
    expect(await as(BRIGHT_USER, (tx) => tx.query("select id from public.messages where id = $1", [inserted.id]))).toEqual([]);
  });

  it("cannot attach a message to another client's lead by labelling it with their own client", async () => {
    const [sql, params] = TABLES.messages.newRow(ACME, BRIGHT_LEAD);
    await expectRefused(
      as(ACME_USER, (tx) => tx.query(sql, params)),
      RLS_REFUSAL,
    );
    expect(await actualRows("public.messages", "lead_id = $1 and client_id <> $2", [BRIGHT_LEAD, BRIGHT])).toEqual([]);
  });

  it("cannot record or rewrite calls, which only webhooks and staff write", async () => {
    const [sql, params] = TABLES.calls.newRow(ACME, ACME_LEAD);
    await expectRefused(
      as(ACME_USER, (tx) => tx.query(sql, params)),
      RLS_REFUSAL,
    );
    const updated = await as(ACME_USER, (tx) => tx.query("update public.calls set status = 'failed' returning id"));
    expect(updated).toEqual([]);
  });
});

describe("agency staff", () => {
  it.each(CLIENT_TABLES)("see every client's rows in public.%s", async (table) => {
    const rows = await as(AGENCY_ADMIN, (tx) => tx.query(`select id from public.${table} order by id`));
    const everything = await actualRows(`public.${table}`);
    expect(rows.map((row) => String(row.id))).toEqual(everything.map((row) => String(row.id)));
    expect(new Set(everything.map((row) => row.client_id))).toEqual(new Set([ACME, BRIGHT]));
  });

  it("insert, update and delete any client's rows", async () => {
    const [sql, params] = TABLES.messages.newRow(BRIGHT, BRIGHT_LEAD);
    const [inserted] = await as(AGENCY_ADMIN, (tx) => tx.query(sql, params));
    const updated = await as(AGENCY_ADMIN, (tx) =>
      tx.query("update public.messages set body = 'Edited by staff' where id = $1 returning id", [inserted.id]),
    );
    expect(updated).toHaveLength(1);
    const deleted = await as(AGENCY_ADMIN, (tx) => tx.query("delete from public.messages where id = $1 returning id", [inserted.id]));
    expect(deleted).toHaveLength(1);
    expect(await actualRows("public.messages", "id = $1", [inserted.id])).toEqual([]);
  });
});

describe("a signed-in user who is not a member of the agency", () => {
  it.each(CLIENT_TABLES)("sees nothing in public.%s", async (table) => {
    expect(await as(STRANGER, (tx) => tx.query(`select id from public.${table}`))).toEqual([]);
  });

  it("cannot insert a lead for any client", async () => {
    const [sql, params] = TABLES.leads.newRow(ACME, ACME_LEAD);
    await expectRefused(
      as(STRANGER, (tx) => tx.query(sql, params)),
      RLS_REFUSAL,
    );
  });
});

describe("the anonymous role", () => {
  it("is denied every command on every public table", async () => {
    const tables = await db.query<{ name: string }>(
      "select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind in ('r', 'p') order by 1",
    );
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining([...CLIENT_TABLES]));
    for (const { name } of tables) {
      await expectRefused(
        asAnonymous(db, (tx) => tx.query(`select * from public.${name}`)),
        PERMISSION_DENIED,
      );
      await expectRefused(
        asAnonymous(db, (tx) => tx.query(`delete from public.${name}`)),
        PERMISSION_DENIED,
      );
    }
  });

  it("cannot insert or update leads, calls or messages", async () => {
    for (const table of CLIENT_TABLES) {
      const [sql, params] = TABLES[table].newRow(ACME, ACME_LEAD);
      await expectRefused(
        asAnonymous(db, (tx) => tx.query(sql, params)),
        PERMISSION_DENIED,
      );
      await expectRefused(
        asAnonymous(db, (tx) => tx.query(`update public.${table} set ${TABLES[table].column} = 'Spam'`)),
        PERMISSION_DENIED,
      );
    }
  });
});

describe("internal tables", () => {
  const INTERNAL_TABLES = {
    "internal.outbox": "insert into internal.outbox (topic, event_key) values ('lead.created', 'rls-test')",
    "internal.text_backs":
      "insert into internal.text_backs (call_sid, client_id, caller, from_number, body) values ('CArlstest', 'acme-plumbing', '+15125550134', '+15125550100', 'Hi')",
  };
  const REACHERS: Array<[string, (work: (tx: Queryable) => Promise<unknown>) => Promise<unknown>]> = [
    ["a client user", (work) => as(ACME_USER, work)],
    ["agency staff", (work) => as(AGENCY_ADMIN, work)],
    ["the anonymous role", (work) => asAnonymous(db, work)],
  ];

  describe.each(Object.entries(INTERNAL_TABLES))("%s", (table, insertSql) => {
    it.each(REACHERS)("cannot be read, written, changed or emptied by %s", async (_who, run) => {
      await expectRefused(run((tx) => tx.query(`select * from ${table}`)), PERMISSION_DENIED);
      await expectRefused(run((tx) => tx.query(insertSql)), PERMISSION_DENIED);
      await expectRefused(run((tx) => tx.query(`update ${table} set created_at = now()`)), PERMISSION_DENIED);
      await expectRefused(run((tx) => tx.query(`delete from ${table}`)), PERMISSION_DENIED);
    });
  });

  it("were left untouched by all those attempts", async () => {
    expect(await db.query("select 1 from internal.outbox where event_key = 'rls-test'")).toEqual([]);
    expect(await db.query("select 1 from internal.text_backs where call_sid = 'CArlstest'")).toEqual([]);
  });
});
