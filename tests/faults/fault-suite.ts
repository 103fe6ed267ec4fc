// `npm run faults` – what a caller, a lead and the agency see when a part of the system fails, on the
// production server (next start) over PostgreSQL, with the Twilio REST and Airtable stand-ins on
// real ports and a TCP proxy in front of the database that can refuse or hang. This process plays
// Twilio: it sends every webhook signed as Twilio signs it, and keeps Twilio's call and message
// logs in the stand-in, which reconciliation reads.
//
// Scenarios, one after another on the same server, each with its own callers:
//   database refusing   a steady stream of calls and texts; the database refuses connections for
//                       FAULTS_OUTAGE_SECONDS (30) in the middle; reconciliation runs once the
//                       outage's last calls are old enough for it (2 minutes)
//   database hanging    the same with a database that accepts and never answers
//   Airtable 429 storm  every Airtable request answered 429 for 40 s during a stream
//   Airtable 5xx        Airtable answers 503 for 60 s during a stream
//   Airtable hanging    Airtable accepts and never answers for 30 s during a stream
//   Twilio text faults  text-backs to some callers fail twice with 503, others with 21610 (opted out)
//   duplicates          every webhook delivered twice, the dial action and status callback out of order
//   raced callbacks     200 answered calls whose dial action and status callback arrive together
//
// For each it prints calls and texts sent, webhooks answered with valid TwiML within Twilio's 15 s
// (and the slowest answer), leads in Postgres, pipeline rows, wrong texts (a text-back to a caller who was answered),
// duplicates (leads, calls, pipeline rows or text-backs beyond one), lost (calls or texts missing from Postgres,
// leads missing from the pipeline, text-backs owed but never sent) and wrong outcomes. Exits 1
// unless every webhook was answered and lost, duplicates, wrong texts and wrong outcomes are all 0.
//
// The scheduled jobs run every FAULTS_CRON_SECONDS (10; production: every minute) so the suite
// finishes in minutes. Knobs: FAULTS_SCENARIOS (comma-separated names as above), FAULTS_RATE
// (webhook events per second in a stream, 2), FAULTS_OUTAGE_SECONDS, FAULTS_POSTGRES_URL, NEXT_DIST_DIR
// (the build to use or make, default .next).
import { randomBytes, randomInt } from "node:crypto";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { adminQuery, cleanupStep, databaseUrlFor, numberFrom, prepareThrowAwayDatabase, runBench, sleep } from "../bench/bench-harness";
import { countPlayedTraffic } from "../bench/count-played-traffic";
import { scheduledJobs } from "../bench/scheduled-jobs";
import { startDatabaseFaultProxy, type DatabaseFaultProxy } from "../support/database-fault-proxy";
import { CLIENT_CONFIGURATION_FIELDS, CLIENT_CONFIGURATION_TABLE, configureTrackingNumber } from "../support/configure-tracking-number";
import { LEAD_PIPELINE_FIELDS, LEAD_PIPELINE_TABLE } from "../support/lead-pipeline-table";
import { ensureProductionBuild, startNextServer, type RunningServer } from "../support/next-server";
import { airtableApiStandIn } from "../support/stand-ins/airtable-api";
import { serveStandIn, type RunningStandIn } from "../support/stand-ins/serve-stand-in";
import { twilioApiStandIn } from "../support/stand-ins/twilio-api";
import { newCaller, pick, playedClientConfig, TwilioPlayer, type CallOutcome, type PlayedClient } from "../support/twilio-player";

const RATE = numberFrom("FAULTS_RATE", 2);
const OUTAGE_SECONDS = numberFrom("FAULTS_OUTAGE_SECONDS", 30);
const CRON_SECONDS = numberFrom("FAULTS_CRON_SECONDS", 10);
const SETTLE_SECONDS = 240;
const DIST_DIR = process.env.NEXT_DIST_DIR || ".next";

const POSTGRES_URL = process.env.FAULTS_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const DATABASE_NAME = `leadline_faults_${process.pid}_${Date.now()}`;
const PUBLIC_BASE_URL = "https://leads.example.test";
const TWILIO_ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";
const TWILIO_AUTH_TOKEN = "faults-auth-token-0123456789abcdef";
const AIRTABLE_TOKEN = "patFaultsToken.0123456789";
const AIRTABLE_BASE_ID = "appFaultsBase0123";
const CRON_SECRET = `cron-${randomBytes(12).toString("hex")}`;

// ---------------------------------------------------------------------------------------------
// The agency: a few clients, each with a tracking number and text-back on

const clients: PlayedClient[] = Array.from({ length: 6 }, (_, i) => ({
  id: `faults-client-${i + 1}`,
  name: `Faults Client ${i + 1}`,
  trackingNumber: `+1512555${String(2000 + i)}`,
  primary: `+1214555${String(2000 + i)}`,
  mobile: `+1469555${String(2000 + i)}`,
}));
const MISSED_CALL_MAX_SECONDS = 15;

// ---------------------------------------------------------------------------------------------
// Stand-ins, database, server

const airtable = airtableApiStandIn({ token: AIRTABLE_TOKEN, baseId: AIRTABLE_BASE_ID });
airtable.defineTable(CLIENT_CONFIGURATION_TABLE, CLIENT_CONFIGURATION_FIELDS);
airtable.defineTable(LEAD_PIPELINE_TABLE, LEAD_PIPELINE_FIELDS);
const twilioApi = twilioApiStandIn({ accountSid: TWILIO_ACCOUNT_SID, authToken: TWILIO_AUTH_TOKEN });

let server: RunningServer | undefined;
let proxy: DatabaseFaultProxy | undefined;
const standIns: RunningStandIn[] = [];
let databaseCreated = false;
let observer: pg.Pool | undefined;
let cleaning: Promise<void> | undefined;

const databaseUrl = () => databaseUrlFor(POSTGRES_URL, DATABASE_NAME);

function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    jobs.stop();
    if (server) await cleanupStep("stopping the server", server.stop);
    if (observer) await cleanupStep("closing the observer pool", () => observer!.end());
    if (proxy) await cleanupStep("closing the database proxy", proxy.close);
    for (const standIn of standIns) await cleanupStep("closing a stand-in", standIn.close);
    if (databaseCreated) await cleanupStep(`dropping ${DATABASE_NAME}`, () => adminQuery(POSTGRES_URL, `drop database if exists ${DATABASE_NAME} with (force)`));
  })();
  return cleaning;
}

async function prepareDatabase(): Promise<void> {
  await prepareThrowAwayDatabase(POSTGRES_URL, DATABASE_NAME, () => (databaseCreated = true), async (db) => {
    for (const client of clients) await configureTrackingNumber(db, airtable, playedClientConfig(client, MISSED_CALL_MAX_SECONDS));
  });
}

const query = async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> => {
  observer ??= new pg.Pool({ connectionString: databaseUrl(), max: 2, connectionTimeoutMillis: 10_000 });
  return (await observer.query<T>(sql, params)).rows;
};

const jobs = scheduledJobs({ serverUrl: () => server!.url, cronSecret: CRON_SECRET, everySeconds: CRON_SECONDS, query });

const player = () =>
  new TwilioPlayer({ serverUrl: () => server!.url, twilioApi, accountSid: TWILIO_ACCOUNT_SID, authToken: TWILIO_AUTH_TOKEN, publicBaseUrl: PUBLIC_BASE_URL, missedCallMaxSeconds: MISSED_CALL_MAX_SECONDS });

// ---------------------------------------------------------------------------------------------
// Playing Twilio

/**
 * Calls and texts at `rate` a second for `seconds`, open loop: each leaves at its own time
 * whether or not earlier ones have been answered. `onSecond` runs once a second (faults switch).
 */
async function stream(scenario: TwilioPlayer, seconds: number, onSecond: (second: number) => Promise<void> | void = () => {}): Promise<void> {
  const inFlight: Promise<void>[] = [];
  const events = Math.round(seconds * RATE);
  const started = performance.now();
  let second = -1;
  for (let event = 0; event < events; event += 1) {
    const due = started + (event * 1000) / RATE;
    await sleep(Math.max(0, due - performance.now()));
    const now = Math.floor((performance.now() - started) / 1000);
    while (second < now) await onSecond(++second);
    const client = pick(clients);
    if (event % 3 === 2) {
      // Texts come from new leads and from callers already in this scenario.
      const known = [...scenario.calls.values()].filter((call) => call.client === client);
      inFlight.push(scenario.text(client, known.length > 0 && randomInt(2) === 0 ? pick(known).caller : newCaller()));
    } else {
      inFlight.push(scenario.call(client, pick<CallOutcome>(["answered", "answered", "answered", "no-answer", "busy", "short", "abandoned"])));
    }
  }
  while (second < seconds) await onSecond(++second);
  await Promise.all(inFlight);
}

// ---------------------------------------------------------------------------------------------
// Counting

type Tally = {
  calls: number;
  texts: number;
  answered: string;
  slowestMs: number;
  leads: string;
  pipelineRows: string;
  wrongTexts: number;
  duplicates: number;
  lost: number;
  wrongOutcomes: number;
  allAnswered: boolean;
  problems: string[];
};

async function tally(scenario: TwilioPlayer): Promise<Tally> {
  const counted = await countPlayedTraffic(scenario, query, airtable.rows(LEAD_PIPELINE_TABLE), twilioApi.sent);
  const { webhooks, calls, texts, leads, pipelineRows, textBacks } = counted;
  return {
    calls: calls.sent,
    texts: texts.sent,
    answered: `${webhooks.answered}/${webhooks.sent}`,
    slowestMs: webhooks.slowestMs,
    leads: `${leads.found}/${leads.expected}`,
    pipelineRows: `${pipelineRows.rows}/${pipelineRows.expected}`,
    wrongTexts: textBacks.wrong,
    duplicates: leads.duplicates + calls.duplicates + pipelineRows.duplicates + textBacks.duplicates,
    lost: calls.lost + texts.lost + pipelineRows.missing + textBacks.missing,
    wrongOutcomes: calls.wrongOutcomes,
    allAnswered: webhooks.answered === webhooks.sent,
    problems: counted.problems,
  };
}

// ---------------------------------------------------------------------------------------------
// Scenarios

/** A scenario's run says when its database fault ended, if reconciliation must close it. */
type ScenarioRun = { name: string; key: string; run: (scenario: TwilioPlayer) => Promise<{ reconcileAfter?: number }> };

/** One call per client first, so every instance's memory holds the configs it will fall back on. */
async function warmUp(scenario: TwilioPlayer): Promise<void> {
  await Promise.all(clients.map((client) => scenario.call(client, "answered")));
}

function databaseOutage(mode: "refuse" | "hang"): ScenarioRun["run"] {
  return async (scenario) => {
    await warmUp(scenario);
    const startAt = 10;
    let endedAt = 0;
    await stream(scenario, startAt + OUTAGE_SECONDS + 10, async (second) => {
      if (second === startAt) await proxy!.setMode(mode);
      if (second === startAt + OUTAGE_SECONDS) {
        await proxy!.setMode("pass");
        endedAt = Date.now();
      }
    });
    return { reconcileAfter: endedAt };
  };
}

function airtableFault(kind: "429" | "503" | "hang", seconds: number): ScenarioRun["run"] {
  return async (scenario) => {
    const startAt = 5;
    await stream(scenario, startAt + seconds + 10, (second) => {
      if (second === startAt) {
        if (kind === "429") airtable.penalize(seconds * 1000);
        else if (kind === "503") airtable.goDown(503);
        else airtable.hang();
      }
      if (second === startAt + seconds) airtable.recover();
    });
    airtable.recover();
    return {};
  };
}

async function twilioTextFaults(scenario: TwilioPlayer): Promise<{ reconcileAfter?: number }> {
  const calls: Promise<void>[] = [];
  for (let i = 0; i < 24; i += 1) {
    const caller = newCaller();
    const client = clients[i % clients.length];
    if (i % 3 === 0) twilioApi.failFor(caller, { status: 503, code: 20500, message: "Service unavailable", times: 2 });
    if (i % 3 === 1) {
      twilioApi.failFor(caller, { status: 400, code: 21610, message: "Attempt to send to unsubscribed recipient" });
      scenario.optedOut.add(caller);
    }
    calls.push(scenario.call(client, i % 4 === 3 ? "answered" : "no-answer", "in-order", caller));
    await sleep(250);
  }
  await Promise.all(calls);
  return {};
}

async function duplicatedOutOfOrder(scenario: TwilioPlayer): Promise<{ reconcileAfter?: number }> {
  const work: Promise<void>[] = [];
  const outcomes: CallOutcome[] = ["answered", "no-answer", "busy", "short", "abandoned"];
  for (let i = 0; i < 30; i += 1) {
    const client = clients[i % clients.length];
    work.push(i % 3 === 2 ? scenario.text(client, newCaller(), "twice-out-of-order") : scenario.call(client, outcomes[i % outcomes.length], "twice-out-of-order"));
    await sleep(300);
  }
  await Promise.all(work);
  return {};
}

async function racedCallbacks(scenario: TwilioPlayer): Promise<{ reconcileAfter?: number }> {
  const work: Promise<void>[] = [];
  for (let i = 0; i < 200; i += 1) {
    work.push(scenario.call(clients[i % clients.length], "answered", "together"));
    await sleep(100);
  }
  await Promise.all(work);
  return {};
}

const SCENARIOS: ScenarioRun[] = [
  { key: "database-refusing", name: `database refusing ${OUTAGE_SECONDS} s`, run: databaseOutage("refuse") },
  { key: "database-hanging", name: `database hanging ${OUTAGE_SECONDS} s`, run: databaseOutage("hang") },
  { key: "airtable-429", name: "Airtable 429 storm (40 s)", run: airtableFault("429", 40) },
  { key: "airtable-5xx", name: "Airtable 5xx for 60 s", run: airtableFault("503", 60) },
  { key: "airtable-hanging", name: "Airtable hanging (30 s)", run: airtableFault("hang", 30) },
  { key: "twilio-text-faults", name: "Twilio REST 5xx and 21610", run: twilioTextFaults },
  { key: "duplicates", name: "every webhook twice, out of order", run: duplicatedOutOfOrder },
  { key: "raced-callbacks", name: "dial action and status raced (200)", run: racedCallbacks },
];

// ---------------------------------------------------------------------------------------------

function printTable(results: { name: string; tally: Tally }[]): void {
  const header = ["scenario", "calls", "texts", "answered TwiML", "slowest", "leads in PG", "pipeline rows", "wrong texts", "duplicates", "lost", "wrong outcomes"];
  const lines = results.map(({ name, tally }) => [
    name,
    String(tally.calls),
    String(tally.texts),
    tally.answered,
    `${tally.slowestMs} ms`,
    tally.leads,
    tally.pipelineRows,
    String(tally.wrongTexts),
    String(tally.duplicates),
    String(tally.lost),
    String(tally.wrongOutcomes),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column].length)));
  const format = (cells: string[]) => `| ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join(" | ")} |`;
  console.log(format(header));
  console.log(`|${widths.map((width, column) => (column === 0 ? `:${"-".repeat(width + 1)}` : `${"-".repeat(width + 1)}:`)).join("|")}|`);
  for (const line of lines) console.log(format(line));
}

async function main(): Promise<number> {
  const wanted = new Set((process.env.FAULTS_SCENARIOS ?? SCENARIOS.map((s) => s.key).join(",")).split(",").map((key) => key.trim()));
  const unknown = [...wanted].filter((key) => !SCENARIOS.some((s) => s.key === key));
  if (unknown.length) throw new Error(`unknown scenario(s) ${unknown.join(", ")}; known: ${SCENARIOS.map((s) => s.key).join(", ")}`);

  console.log("faults: building (if stale) the production server…");
  ensureProductionBuild({ distDir: DIST_DIR });
  standIns.push(await serveStandIn(airtable.handle));
  standIns.push(await serveStandIn(twilioApi.handle));
  await prepareDatabase();
  proxy = await startDatabaseFaultProxy(databaseUrl());
  server = await startNextServer({
    env: {
      DATABASE_URL: proxy.url,
      PUBLIC_BASE_URL,
      TWILIO_AUTH_TOKEN,
      TWILIO_ACCOUNT_SID,
      TWILIO_API_URL: standIns[1].url,
      AIRTABLE_TOKEN,
      AIRTABLE_BASE_ID,
      AIRTABLE_API_URL: standIns[0].url,
      CRON_SECRET,
      NEXT_DIST_DIR: DIST_DIR,
    },
  });
  console.log(`faults: server ${server.url} (next start) on PostgreSQL ${DATABASE_NAME} through a fault proxy; ${clients.length} clients; jobs every ${CRON_SECONDS} s`);
  jobs.start();

  const results: { name: string; tally: Tally }[] = [];
  for (const entry of SCENARIOS.filter((s) => wanted.has(s.key))) {
    const scenario = player();
    const started = performance.now();
    console.log(`\n${entry.name}…`);
    const notes = await jobs.settle({ ...(await entry.run(scenario)), limitSeconds: SETTLE_SECONDS });
    const result = await tally(scenario);
    results.push({ name: entry.name, tally: result });
    console.log(`  done in ${((performance.now() - started) / 1000).toFixed(0)} s: ${JSON.stringify({ ...result, problems: undefined })}`);
    for (const line of [...notes, ...result.problems]) console.log(`  ${line}`);
  }

  console.log("");
  printTable(results);
  const complaints = server
    .output()
    .split("\n")
    .filter((line) => /error|fail/i.test(line));
  console.log(`\nserver log: ${complaints.length} error lines (expected during the faults); Twilio texts sent ${twilioApi.sent.length}; Airtable requests ${airtable.requests.length}, 429s ${airtable.count429()}`);
  const passed = results.length > 0 && results.every(({ tally }) => tally.allAnswered && tally.lost === 0 && tally.duplicates === 0 && tally.wrongTexts === 0 && tally.wrongOutcomes === 0);
  console.log(passed ? "faults: PASS" : "faults: FAIL");
  return passed ? 0 : 1;
}

await runBench("faults", main, cleanUp);
