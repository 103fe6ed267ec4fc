// `npm run bench:inbox` – the inbox and the reports at size, on PostgreSQL (issue 8, "Speed at size"):
//
//   seed: a throw-away database with one big client (20,000 leads; 200,000 calls and texts over the
//   past year, a few leads with hundreds of contacts, missed calls texted back, the client's replies
//   minutes to hours after a contact, a third of the leads read) and four small clients with some of
//   the same, so RLS and the client predicates have rows to skip. Generated in SQL (generate_series).
//
//   then, as the big client's own user (its verified claims, through withUserClaims, exactly as a
//   page asks), each measured BENCH_ITERATIONS times after BENCH_WARMUP unmeasured runs, one at a
//   time, as the time the lib function takes from call to answer:
//     list        the inbox's first page (listThreads, no filters)
//     list deep   a page 20–100 pages down, through its cursor
//     thread      a random lead's thread (readThread)
//     search      a random part (4 to 7 digits, sometimes formatted) of a random lead's number
//     reports 90d the last 90 days' reports (readReports)
//   and, once, with no goal: the time to stream the CSV export of the last 366 days.
//
// Goals: p99 ≤ 50 ms for list, list deep, thread and search; p99 ≤ 300 ms for the reports. Exits 1
// when a goal is missed or an answer is wrong (another client's thread, an empty page, a search that
// misses the lead it was cut from).
//
// Knobs (the acceptance numbers are the defaults): BENCH_LEADS, BENCH_CONTACTS (calls and texts of
// the big client), BENCH_ITERATIONS, BENCH_WARMUP, BENCH_POSTGRES_URL, BENCH_KEEP_DATABASE=1 (leave
// the database for EXPLAIN ANALYZE; its name is printed).
import { adminQuery, cleanupStep, databaseUrlFor, numberFrom, percentile, prepareThrowAwayDatabase, runBench } from "./bench-harness";
import { randomInt } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { Viewer } from "../../lib/auth/viewer";
import type { Database } from "../../lib/db/database";
import { openPostgresDatabase } from "../../lib/db/open-postgres-database";
import { listThreads } from "../../lib/inbox/list-threads";
import { readThread } from "../../lib/inbox/read-thread";
import { exportLeadsCsv } from "../../lib/reports/export-leads-csv";
import { readReports } from "../../lib/reports/read-reports";
import { addDays } from "../../lib/reports/report-range";

const LEADS = numberFrom("BENCH_LEADS", 20_000);
const CONTACTS = numberFrom("BENCH_CONTACTS", 200_000);
const ITERATIONS = numberFrom("BENCH_ITERATIONS", 200);
const WARMUP = numberFrom("BENCH_WARMUP", 20);
const KEEP_DATABASE = process.env.BENCH_KEEP_DATABASE === "1";

const GOAL_INBOX_P99_MS = 50;
const GOAL_REPORTS_P99_MS = 300;
const REPORT_DAYS = 90;
const DEEP_PAGES = [20, 100] as const;

const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const DATABASE_NAME = `leadline_inbox_bench_${process.pid}_${Date.now()}`;

type ClientSpec = {
  id: string;
  name: string;
  userId: string;
  /** Callers are this prefix and a 7-digit running number, so a lead's number is known from its ordinal. */
  callerPrefix: string;
  trackingNumbers: { number: string; source: string }[];
  leads: number;
  contacts: number;
};

const BIG: ClientSpec = {
  id: "big-client",
  name: "Big Client Co",
  userId: "00000000-0000-4000-b000-000000000001",
  callerPrefix: "+1512",
  trackingNumbers: [
    { number: "+18005550101", source: "Google Ads" },
    { number: "+18005550102", source: "Website" },
    { number: "+18005550103", source: "Facebook Ads" },
    { number: "+18005550104", source: "Yelp" },
    { number: "+18005550105", source: "Direct Mail" },
  ],
  leads: LEADS,
  contacts: CONTACTS,
};

const SMALL: ClientSpec[] = [1, 2, 3, 4].map((i) => ({
  id: `small-client-${i}`,
  name: `Small Client ${i}`,
  userId: `00000000-0000-4000-b000-00000000010${i}`,
  // The same numbers as the big client's callers: a search must stay inside the viewer's client.
  callerPrefix: "+1512",
  trackingNumbers: [
    { number: `+1800555020${i}`, source: "Google Ads" },
    { number: `+1800555030${i}`, source: "Website" },
  ],
  leads: 1_000,
  contacts: 10_000,
}));

const VIEWER: Viewer = {
  userId: BIG.userId,
  email: "owner@big-client.test",
  role: "client",
  clientId: BIG.id,
  claims: { sub: BIG.userId, role: "authenticated", email: "owner@big-client.test" },
};

// A follow-up call or text of lead l: most leads talk to the business for a few weeks after their
// first contact (exponential, mean 3 weeks); a few hundred regulars (the leads the skew favours) call
// all year. Either way never before the first contact or after now, so a 90-day window holds about
// 30 % of the year, as a steady business's would.
const FOLLOW_UP = `l.first_contact_at + case
    when right(l.caller, 7)::int - 2000000 <= 200 then random() * (now() - l.first_contact_at)
    else least(random() * (now() - l.first_contact_at), -ln(1 - random()) * interval '21 days')
  end`;

// Calls are most of a client's contacts; a share of missed calls is texted back; leads text in; the
// client's own texts are the rest.
const CALL_SHARE = 0.55;
const LEAD_TEXT_SHARE = 0.2;
const TEXT_BACK_SHARE_OF_MISSED = 0.5;

/** One client's year: leads, calls, text-backs, lead texts, client replies, read marks. All in SQL. */
async function seedClient(db: Database, client: ClientSpec): Promise<void> {
  const numbers = client.trackingNumbers.map((t) => t.number);
  const sources = client.trackingNumbers.map((t) => t.source);
  await db.query("insert into public.clients (id, name) values ($1, $2)", [client.id, client.name]);
  await db.query("insert into auth.users (id, email) values ($1, $2)", [client.userId, `user@${client.id}.test`]);
  await db.query("insert into public.members (user_id, role, client_id) values ($1, 'client', $2)", [client.userId, client.id]);
  await db.query(
    `insert into public.tracking_numbers (phone_number, client_id, primary_number, text_back_enabled, source)
     select n, $1, '+12145550100', true, s from unnest($2::text[], $3::text[]) as t (n, s)`,
    [client.id, numbers, sources],
  );

  // Leads: first contact spread over the year, a number's tracking number (and so source) by ordinal.
  await db.query(
    `insert into public.leads (lead_key, client_id, caller, tracking_number, source, status, name, value, first_contact_at, last_contact_at, created_at)
     select $1 || ':' || caller, $1, caller, ($2::text[])[1 + n % cardinality($2::text[])], ($3::text[])[1 + n % cardinality($3::text[])],
            (array['New','New','New','Contacted','Contacted','Qualified','Won','Lost','Spam'])[1 + floor(random() * 9)::int],
            case when random() < 0.3 then (array['Maria','James','Wei','Aisha','Carlos','Olga','Sam','Priya'])[1 + floor(random() * 8)::int] || ' ' || (array['Garcia','Smith','Chen','Khan','Silva','Ivanova','Lee','Patel'])[1 + floor(random() * 8)::int] end,
            case when random() < 0.2 then round((random() * 5000)::numeric, 2) end,
            at, at, at
       from (select n, $4 || lpad((2000000 + n)::text, 7, '0') as caller, now() - random() * interval '365 days' as at
               from generate_series(1, $5::int) n) s`,
    [client.id, numbers, sources, client.callerPrefix, client.leads],
  );

  // Calls: every lead's first contact is a call at its first_contact_at; the rest land on leads
  // skewed toward a few (random()^2), each after that lead's first contact (FOLLOW_UP).
  const calls = Math.round(client.contacts * CALL_SHARE);
  await db.query(
    `insert into public.calls (call_sid, client_id, lead_id, tracking_number, caller, status, forwarded_to, dial_status,
                               dial_duration_seconds, dial_bridged, outcome, missed_reason, duration_seconds,
                               recording_sid, recording_url, recording_duration_seconds, started_at, ended_at, updated_at)
     select 'CA' || md5($1 || ':call:' || g), l.client_id, l.id, l.tracking_number, l.caller, 'completed', '+12145550100',
            case when r < 0.65 then 'completed' when r < 0.95 then 'no-answer' end,
            case when r < 0.65 then 20 + floor(random() * 600)::int end,
            case when r < 0.95 then r < 0.65 end,
            case when r < 0.65 then 'answered' else 'missed' end,
            case when r < 0.65 then null when r < 0.95 then 'no-answer' else 'abandoned' end,
            30 + floor(random() * 600)::int,
            case when r >= 0.65 and r < 0.8 then 'RE' || md5($1 || ':rec:' || g) end,
            case when r >= 0.65 and r < 0.8 then 'https://api.twilio.com/2010-04-01/Accounts/AC0/Recordings/RE' || md5($1 || ':rec:' || g) end,
            case when r >= 0.65 and r < 0.8 then 5 + floor(random() * 60)::int end,
            t.at, t.at + interval '2 minutes', t.at
       from (select g, random() as r, case when g <= $2 then g else 1 + floor(power(random(), 2) * $2)::int end as k
               from generate_series(1, $3::int) g) s
       join public.leads l on l.lead_key = $1 || ':' || $4 || lpad((2000000 + s.k)::text, 7, '0')
       cross join lateral (
         select case when s.g <= $2 then l.first_contact_at else ${FOLLOW_UP} end as at
       ) t`,
    [client.id, client.leads, calls, client.callerPrefix],
  );

  // Text-backs: a share of missed calls, 20 s after the call, from its tracking number.
  await db.query(
    `insert into public.messages (message_sid, client_id, lead_id, direction, author, tracking_number, counterpart, body, status, created_at, updated_at)
     select 'SM' || md5(c.call_sid || ':auto'), c.client_id, c.lead_id, 'outbound', 'auto', c.tracking_number, c.caller,
            'Sorry we missed your call! Reply here and we will get right back to you.', 'delivered',
            c.started_at + interval '20 seconds', c.started_at + interval '20 seconds'
       from public.calls c
      where c.client_id = $1 and c.outcome = 'missed' and random() < $2`,
    [client.id, TEXT_BACK_SHARE_OF_MISSED],
  );
  const [{ count: textBacks }] = await db.query<{ count: number }>(
    "select count(*)::int as count from public.messages where client_id = $1 and author = 'auto'",
    [client.id],
  );

  // Leads' texts, skewed like the calls, after the lead's first contact.
  const leadTexts = Math.round(client.contacts * LEAD_TEXT_SHARE);
  await db.query(
    `insert into public.messages (message_sid, client_id, lead_id, direction, author, tracking_number, counterpart, body, status, created_at, updated_at)
     select 'SM' || md5($1 || ':lead:' || g), l.client_id, l.id, 'inbound', 'lead', l.tracking_number, l.caller,
            (array['Hi, are you open today?','Can someone call me back?','How much for a quote?','Thanks!','Is 3pm ok?'])[1 + floor(random() * 5)::int],
            'received', t.at, t.at
       from (select g, 1 + floor(power(random(), 2) * $2)::int as k from generate_series(1, $3::int) g) s
       join public.leads l on l.lead_key = $1 || ':' || $4 || lpad((2000000 + s.k)::text, 7, '0')
       cross join lateral (select ${FOLLOW_UP} as at) t`,
    [client.id, client.leads, leadTexts, client.callerPrefix],
  );

  // The client's replies, the rest of the contacts: minutes to hours after a random call.
  const replies = Math.max(0, client.contacts - calls - textBacks - leadTexts);
  await db.query(
    `insert into public.messages (message_sid, client_id, lead_id, direction, author, tracking_number, counterpart, body, status, created_at, updated_at)
     select 'SM' || md5($1 || ':reply:' || g), c.client_id, c.lead_id, 'outbound', 'client', c.tracking_number, c.caller,
            'Thanks for reaching out, we can come by tomorrow morning.', 'delivered', t.at, t.at
       from (select row_number() over () as g, c.* from (
               select * from public.calls where client_id = $1 order by random() limit $2
             ) c) c
       cross join lateral (select least(now(), c.started_at + power(random(), 3) * interval '6 hours') as at) t`,
    [client.id, replies],
  );

  // A lead's last contact is its newest call or text in, as the webhooks keep it.
  await db.query(
    `update public.leads l set last_contact_at = greatest(l.first_contact_at, x.at), updated_at = greatest(l.first_contact_at, x.at)
       from (select lead_id, max(at) as at from (
               select lead_id, started_at as at from public.calls where client_id = $1
               union all
               select lead_id, created_at from public.messages where client_id = $1 and author = 'lead'
             ) a group by lead_id) x
      where l.id = x.lead_id`,
    [client.id],
  );

  // The user has opened a third of the threads at some point.
  await db.query(
    `insert into public.lead_reads (user_id, lead_id, read_at)
     select $2, id, first_contact_at + random() * (now() - first_contact_at) from public.leads where client_id = $1 and random() < 0.33`,
    [client.id, client.userId],
  );
}

async function seed(db: Database): Promise<void> {
  for (const client of [BIG, ...SMALL]) await seedClient(db, client);
  // As autovacuum leaves tables that have been written for a year: statistics, and a visibility map
  // that lets the covering indexes answer without visiting the tables.
  await db.exec("vacuum analyze");
}

// ---------------------------------------------------------------------------------------------
// Measuring

type Measured = { label: string; samples: number[]; goalMs: number; problems: string[] };

async function measure(label: string, goalMs: number, run: () => Promise<string | undefined>): Promise<Measured> {
  const problems: string[] = [];
  for (let i = 0; i < WARMUP; i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const started = performance.now();
    const problem = await run();
    samples.push(performance.now() - started);
    if (problem) problems.push(problem);
  }
  return { label, samples, goalMs, problems };
}

const pick = <T>(items: readonly T[]): T => items[randomInt(items.length)];

/** 4 to 7 consecutive digits of the number, now and then typed as people do: "555-20", "(512) 2". */
function partOfNumber(caller: string): { q: string; digits: string } {
  const national = caller.slice(2);
  const length = 4 + randomInt(4);
  const start = randomInt(national.length - length + 1);
  const digits = national.slice(start, start + length);
  if (randomInt(4) > 0 || start > 0) return { q: digits, digits };
  return { q: `(${digits.slice(0, 3)}) ${digits.slice(3)}`, digits };
}

async function main(): Promise<number> {
  const seedStarted = performance.now();
  await prepareThrowAwayDatabase(POSTGRES_URL, DATABASE_NAME, () => (databaseCreated = true), seed);
  db = openPostgresDatabase(databaseUrlFor(POSTGRES_URL, DATABASE_NAME), { deadlineMs: 0, max: 2 });
  const [sizes] = await db.query<{ leads: number; calls: number; texts: number; recent: number; others: number }>(
    `select (select count(*) from public.leads where client_id = $1)::int as leads,
            (select count(*) from public.calls where client_id = $1)::int as calls,
            (select count(*) from public.messages where client_id = $1)::int as texts,
            (select count(*) from public.calls where client_id = $1 and started_at > now() - interval '${REPORT_DAYS} days')::int
              + (select count(*) from public.messages where client_id = $1 and created_at > now() - interval '${REPORT_DAYS} days')::int as recent,
            (select count(*) from public.calls where client_id <> $1)::int + (select count(*) from public.messages where client_id <> $1)::int as others`,
    [BIG.id],
  );
  console.log(
    `seeded ${DATABASE_NAME} in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s: ${BIG.id} has ${sizes.leads} leads, ` +
      `${sizes.calls} calls and ${sizes.texts} texts (${sizes.calls + sizes.texts} contacts, ${sizes.recent} in the last ${REPORT_DAYS} days); ` +
      `${SMALL.length} other clients ${sizes.others} contacts`,
  );

  const leads = await db.query<{ id: string; caller: string }>("select id::text, caller from public.leads where client_id = $1", [BIG.id]);
  const deepCursors: string[] = [];
  let cursor: string | undefined;
  for (let page = 1; page < DEEP_PAGES[1]; page++) {
    const { nextCursor } = await listThreads(db, VIEWER, {}, cursor);
    if (!nextCursor) break;
    cursor = nextCursor;
    if (page + 1 >= DEEP_PAGES[0]) deepCursors.push(nextCursor);
  }
  if (deepCursors.length === 0) throw new Error(`the inbox has fewer than ${DEEP_PAGES[0]} pages`);

  const ownThreads = (threads: { clientId: string }[], what: string) =>
    threads.length === 0 ? `${what}: no threads` : threads.some((t) => t.clientId !== BIG.id) ? `${what}: another client's thread` : undefined;
  const to = new Date().toISOString().slice(0, 10);
  const reportRange = { from: addDays(to, 1 - REPORT_DAYS), to, client: null };

  const results = [
    await measure("list (first page)", GOAL_INBOX_P99_MS, async () => ownThreads((await listThreads(db!, VIEWER, {})).threads, "list")),
    await measure(`list (page ${DEEP_PAGES[0]}–${DEEP_PAGES[1]})`, GOAL_INBOX_P99_MS, async () =>
      ownThreads((await listThreads(db!, VIEWER, {}, pick(deepCursors))).threads, "deep list"),
    ),
    await measure("thread", GOAL_INBOX_P99_MS, async () => {
      const lead = pick(leads);
      return (await readThread(db!, VIEWER, lead.id)) ? undefined : `thread ${lead.id} not found`;
    }),
    await measure("search by number", GOAL_INBOX_P99_MS, async () => {
      const lead = pick(leads);
      const { q, digits } = partOfNumber(lead.caller);
      const { threads } = await listThreads(db!, VIEWER, { q });
      if (threads.some((t) => t.clientId !== BIG.id)) return `search ${q}: another client's thread`;
      // A page holds the newest 50 matches; a short part matches more leads than that.
      const matches = leads.filter((l) => l.caller.includes(digits)).length;
      if (matches <= threads.length && !threads.some((t) => t.leadId === lead.id)) return `search ${q} missed ${lead.caller}`;
      return threads.length === Math.min(matches, 50) ? undefined : `search ${q}: ${threads.length} threads for ${matches} matching leads`;
    }),
    await measure(`reports (${REPORT_DAYS} days)`, GOAL_REPORTS_P99_MS, async () => {
      const reports = await readReports(db!, VIEWER, reportRange);
      return reports.totals.calls > 0 && reports.firstReply.leads > 0 ? undefined : "reports: nothing counted";
    }),
  ];

  const rows = results.map((r) => {
    const p50 = percentile(r.samples, 50);
    const p99 = percentile(r.samples, 99);
    const pass = p99 <= r.goalMs && r.problems.length === 0;
    return { ...r, p50, p99, pass };
  });
  console.log("");
  console.log(`Leadline inbox bench: ${sizes.leads} leads, ${sizes.calls + sizes.texts} calls and texts, ${ITERATIONS} runs each after ${WARMUP} warm-up`);
  console.log(`${"query".padEnd(24)}${"p50 ms".padStart(9)}${"p99 ms".padStart(9)}${"max ms".padStart(9)}   goal (p99)`);
  for (const row of rows) {
    console.log(
      `${row.label.padEnd(24)}${row.p50.toFixed(1).padStart(9)}${row.p99.toFixed(1).padStart(9)}${Math.max(...row.samples).toFixed(1).padStart(9)}   ≤ ${row.goalMs} ms  ${row.pass ? "PASS" : "FAIL"}`,
    );
    if (row.problems.length) console.log(`  ${row.problems.length} wrong answers, first: ${row.problems.slice(0, 3).join("; ")}`);
  }
  const exportStarted = performance.now();
  let exportedLines = 0;
  for await (const chunk of exportLeadsCsv(db, VIEWER, { from: addDays(to, -365), to, client: null })) exportedLines += chunk.split("\r\n").length - 1;
  console.log(`(no goal) CSV export of the last 366 days: ${exportedLines - 1} leads in ${((performance.now() - exportStarted) / 1000).toFixed(2)} s`);
  const passed = rows.every((row) => row.pass);
  console.log(passed ? "bench:inbox PASS" : "bench:inbox FAIL");
  return passed ? 0 : 1;
}

let db: Database | undefined;
let databaseCreated = false;
let cleaning: Promise<void> | undefined;

function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    if (db) await cleanupStep("closing the pool", () => db!.close());
    if (!databaseCreated) return;
    if (KEEP_DATABASE) console.log(`kept ${databaseUrlFor(POSTGRES_URL, DATABASE_NAME)} (BENCH_KEEP_DATABASE=1)`);
    else await cleanupStep(`dropping ${DATABASE_NAME}`, () => adminQuery(POSTGRES_URL, `drop database if exists ${DATABASE_NAME} with (force)`));
  })();
  return cleaning;
}

await runBench("bench:inbox", main, cleanUp);
