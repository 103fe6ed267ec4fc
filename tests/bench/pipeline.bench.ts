// `npm run bench:pipeline` – the Lead Pipeline under a burst and through an Airtable outage, on the
// production server over PostgreSQL, with the Airtable stand-in on a real port (5 requests per
// rolling second per base, 30 s penalty), from one run:
//
//   1. burst: 600 signed calls over 60 s, evenly paced (10/s), from 400 distinct callers across 30
//      clients whose tracking numbers all write to one base; a third missed (Dial action
//      no-answer, not bridged), the rest answered (completed, bridged, ≥ 20 s). Every call is the
//      voice webhook, then (after a short ring) its Dial action. Goals: every webhook 2xx; the Lead
//      Pipeline holds exactly one row per lead with the right Calls and Missed Calls; no 429 from
//      Airtable; the outbox is empty within (leads ÷ 10) ÷ 4 s + 10 s of the burst's end.
//   2. outage (503): a paced burst of new calls with Airtable answering 503 for 2 minutes in the
//      middle of it; 3. outage (hang): the same with Airtable accepting and never answering.
//      Goals per outage: no webhook over 2 s; webhook p99 during the outage ≤ 1.5× the p99 before
//      it; after recovery every lead is in the pipeline once with the right counts (catch-up time
//      reported). Production's cron (GET /api/cron/outbox every minute) runs throughout, as it does
//      in production; nothing else nudges the outbox (dead jobs are not retried for it).
//
// Exits 1 when a goal is missed or a request failed, 2 on the watchdog.
//
// Knobs (the acceptance numbers are the defaults): BENCH_PHASES ("burst,503,hang"),
// BENCH_BURST_SECONDS, BENCH_RATE (calls/s), BENCH_LEADS, BENCH_CLIENTS, BENCH_OUTAGE_SECONDS,
// BENCH_OUTAGE_MARGIN_SECONDS (paced calls before and after each outage), BENCH_CATCHUP_SECONDS
// (longest wait for the outbox after a recovery), BENCH_CRON_SECONDS, BENCH_TIMEOUT_SECONDS
// (after the build), BENCH_POSTGRES_URL.
import { adminQuery, bail as harnessBail, cleanupStep, databaseUrlFor, numberFrom, percentile, prepareThrowAwayDatabase, runBench, sleep } from "./bench-harness";
import http from "node:http";
import { randomBytes, randomInt } from "node:crypto";
import os from "node:os";
import { performance } from "node:perf_hooks";
import pg from "pg";
import twilio from "twilio";
import type { TrackingNumberConfig } from "../../lib/config/tracking-number-config";
import { PIPELINE_FIELDS as F } from "../../lib/airtable/pipeline-fields";
import { CLIENT_CONFIGURATION_FIELDS, CLIENT_CONFIGURATION_TABLE, configureTrackingNumber } from "../support/configure-tracking-number";
import { LEAD_PIPELINE_FIELDS, LEAD_PIPELINE_TABLE } from "../support/lead-pipeline-table";
import { ensureProductionBuild, startNextServer, type RunningServer } from "../support/next-server";
import { airtableApiStandIn } from "../support/stand-ins/airtable-api";
import { serveStandIn, type RunningStandIn } from "../support/stand-ins/serve-stand-in";
import { twilioApiStandIn } from "../support/stand-ins/twilio-api";
import { sid, toForm, type Params } from "../support/twilio-webhook";


const PHASES = new Set((process.env.BENCH_PHASES ?? "burst,503,hang").split(",").map((p) => p.trim()));
const RATE = numberFrom("BENCH_RATE", 10); // calls/s
const BURST_SECONDS = numberFrom("BENCH_BURST_SECONDS", 60);
const BURST_LEADS = numberFrom("BENCH_LEADS", 400);
const CLIENTS = numberFrom("BENCH_CLIENTS", 30);
const OUTAGE_SECONDS = numberFrom("BENCH_OUTAGE_SECONDS", 120);
const OUTAGE_MARGIN_SECONDS = numberFrom("BENCH_OUTAGE_MARGIN_SECONDS", 20);
const CATCHUP_SECONDS = numberFrom("BENCH_CATCHUP_SECONDS", 240);
const CRON_SECONDS = numberFrom("BENCH_CRON_SECONDS", 60);
const REQUEST_TIMEOUT_MS = 20_000;
const GLOBAL_TIMEOUT_MS = numberFrom("BENCH_TIMEOUT_SECONDS", 1200) * 1000;
const MISSED_SHARE = 1 / 3;
const RING_MS = [1000, 4000]; // between the voice answer and the Dial action

const GOAL_WEBHOOK_MAX_MS = 2000;
const GOAL_P99_RATIO = 1.5;
const drainGoalSeconds = (leads: number) => leads / 10 / 4 + 10;

const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const DATABASE_NAME = `leadline_pipeline_bench_${process.pid}_${Date.now()}`;
const PUBLIC_BASE_URL = "https://leads.example.test";
const VOICE_PATH = "/api/twilio/voice";
const DIAL_PATH = "/api/twilio/status?event=dial";
const CRON_PATH = "/api/cron/outbox";
const TWILIO_ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";
const TWILIO_AUTH_TOKEN = "bench-auth-token-0123456789abcdef";
const AIRTABLE_TOKEN = "patBenchToken.0123456789";
const AIRTABLE_BASE_ID = "appBenchBase01234";
const CRON_SECRET = `cron-${randomBytes(12).toString("hex")}`;

const elapsed = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

// ---------------------------------------------------------------------------------------------
// Clients, callers and what the pipeline must end up holding

type Client = { id: string; name: string; trackingNumber: string; primary: string };
const clients: Client[] = Array.from({ length: CLIENTS }, (_, i) => ({
  id: `bench-client-${String(i + 1).padStart(2, "0")}`,
  name: `Bench Client ${i + 1}`,
  trackingNumber: `+1512555${String(1000 + i).padStart(4, "0")}`,
  primary: `+1214555${String(1000 + i).padStart(4, "0")}`,
}));

type Lead = { client: Client; caller: string };
type Expected = { calls: number; missed: number };
const expected = new Map<string, Expected>(); // "clientId:caller" → counts sent so far
let callerSerial = 0;

function newLeads(count: number): Lead[] {
  return Array.from({ length: count }, () => {
    const n = callerSerial++;
    const caller = `+1737${2_000_000 + n}`; // distinct callers, a running number
    return { client: clients[n % clients.length], caller };
  });
}

type PlannedCall = { lead: Lead; missed: boolean; at: number };

/** `calls` calls from `leads` (each lead at least once, the rest repeats), shuffled, evenly paced. */
function planCalls(leads: Lead[], calls: number, rate: number): PlannedCall[] {
  const whom = [...leads];
  while (whom.length < calls) whom.push(leads[randomInt(leads.length)]);
  for (let i = whom.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [whom[i], whom[j]] = [whom[j], whom[i]];
  }
  const missedCount = Math.round(calls * MISSED_SHARE);
  const missedFlags = Array.from({ length: calls }, (_, i) => i < missedCount);
  for (let i = missedFlags.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [missedFlags[i], missedFlags[j]] = [missedFlags[j], missedFlags[i]];
  }
  return whom.map((lead, i) => ({ lead, missed: missedFlags[i], at: (i * 1000) / rate }));
}

// ---------------------------------------------------------------------------------------------
// Requests

type Prepared = { method: "GET" | "POST"; path: string; body?: Buffer; headers: Record<string, string | number> };
type Outcome = { ok: boolean; ms: number; startedAt: number; problem?: string; status: number };

let serverPort = 0;

function send(agent: http.Agent, prepared: Prepared, check: (status: number, body: string) => string | undefined, timeoutMs = REQUEST_TIMEOUT_MS): Promise<Outcome> {
  return new Promise((resolve) => {
    const started = performance.now();
    let settled = false;
    let status = 0;
    const finish = (problem?: string) => {
      if (settled) return;
      settled = true;
      resolve({ ok: !problem, ms: performance.now() - started, startedAt: started, problem, status });
    };
    const request = http.request(
      { host: "127.0.0.1", port: serverPort, method: prepared.method, path: prepared.path, agent, headers: prepared.headers },
      (response) => {
        status = response.statusCode ?? 0;
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => finish(check(status, Buffer.concat(chunks).toString("utf8"))));
        response.on("error", (error) => finish(`response error: ${error.message}`));
      },
    );
    request.setTimeout(timeoutMs, () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on("error", (error) => finish(`request error: ${error.message}`));
    request.end(prepared.body);
  });
}

function signed(path: string, params: Params): Prepared {
  const signature = twilio.getExpectedTwilioSignature(TWILIO_AUTH_TOKEN, PUBLIC_BASE_URL + path, params);
  const body = Buffer.from(toForm(params).toString());
  return {
    method: "POST",
    path,
    body,
    headers: { "content-type": "application/x-www-form-urlencoded", "content-length": body.length, "x-twilio-signature": signature, "i-twilio-idempotency-token": sid("RE") },
  };
}

function callParams(callSid: string, lead: Lead, callStatus: string): Params {
  return {
    AccountSid: TWILIO_ACCOUNT_SID,
    ApiVersion: "2010-04-01",
    CallSid: callSid,
    CallStatus: callStatus,
    Called: lead.client.trackingNumber,
    Caller: lead.caller,
    Direction: "inbound",
    From: lead.caller,
    To: lead.client.trackingNumber,
    CalledCountry: "US",
    CallerCountry: "US",
  };
}

const voiceRequest = (callSid: string, lead: Lead) => signed(VOICE_PATH, callParams(callSid, lead, "ringing"));

function dialRequest(callSid: string, lead: Lead, missed: boolean): Prepared {
  const params = callParams(callSid, lead, "in-progress");
  if (missed) Object.assign(params, { DialCallStatus: "no-answer", DialCallSid: sid("CA"), DialBridged: "false" });
  else Object.assign(params, { DialCallStatus: "completed", DialCallSid: sid("CA"), DialCallDuration: String(randomInt(20, 300)), DialBridged: "true" });
  return signed(DIAL_PATH, params);
}

const checkVoice = (status: number, body: string) => (status >= 200 && status < 300 && body.includes("<Dial") ? undefined : `voice ${status}: ${body.slice(0, 200)}`);
const checkDial = (status: number, body: string) => (status >= 200 && status < 300 && body.includes("<Response") ? undefined : `dial ${status}: ${body.slice(0, 200)}`);

type Sample = { kind: "voice" | "dial"; ms: number; startedAt: number; ok: boolean; problem?: string };

/**
 * Open loop: each call's voice webhook leaves at its own absolute time whether or not earlier ones
 * have answered; its Dial action follows a ring of 1–4 s after the voice answer. `onTick` runs on
 * each scheduling pass (the outage phases switch Airtable's mode from it). Resolves when every
 * webhook has answered; `endedAt` is when the last did.
 */
async function runCalls(plan: PlannedCall[], onTick?: (sinceStartMs: number) => void): Promise<{ samples: Sample[]; startedAt: number; endedAt: number; lag: number[] }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 256, scheduling: "fifo" });
  const samples: Sample[] = [];
  const lag: number[] = [];
  const inFlight: Promise<void>[] = [];
  let endedAt = 0;
  const start = performance.now() + 50;
  const keep = (kind: Sample["kind"], outcome: Outcome) => {
    samples.push({ kind, ms: outcome.ms, startedAt: outcome.startedAt - start, ok: outcome.ok, problem: outcome.problem });
    endedAt = Math.max(endedAt, performance.now());
  };
  const oneCall = async (call: PlannedCall) => {
    const callSid = sid("CA");
    const key = `${call.lead.client.id}:${call.lead.caller}`;
    const counts = expected.get(key) ?? { calls: 0, missed: 0 };
    counts.calls += 1;
    if (call.missed) counts.missed += 1;
    expected.set(key, counts);
    keep("voice", await send(agent, voiceRequest(callSid, call.lead), checkVoice));
    await sleep(randomInt(RING_MS[0], RING_MS[1]));
    keep("dial", await send(agent, dialRequest(callSid, call.lead, call.missed), checkDial));
  };
  let next = 0;
  await new Promise<void>((done) => {
    const tick = () => {
      const now = performance.now();
      onTick?.(now - start);
      while (next < plan.length && start + plan[next].at <= now) {
        lag.push(now - (start + plan[next].at));
        inFlight.push(oneCall(plan[next++]));
      }
      if (next >= plan.length) return done();
      setTimeout(tick, Math.min(250, Math.max(0, start + plan[next].at - performance.now())));
    };
    setTimeout(tick, Math.max(0, start - performance.now()));
  });
  await Promise.all(inFlight);
  agent.destroy();
  return { samples, startedAt: start, endedAt, lag };
}

// ---------------------------------------------------------------------------------------------
// Numbers

const ms = (value: number) => `${value.toFixed(1)} ms`;

// ---------------------------------------------------------------------------------------------
// Setup, observation and teardown

const admin = (sql: string) => adminQuery(POSTGRES_URL, sql);
const databaseUrl = () => databaseUrlFor(POSTGRES_URL, DATABASE_NAME);

async function prepareDatabase(): Promise<void> {
  await prepareThrowAwayDatabase(POSTGRES_URL, DATABASE_NAME, () => (databaseCreated = true), async (db) => {
    for (const client of clients) {
      const config: TrackingNumberConfig = {
        trackingNumber: client.trackingNumber,
        clientId: client.id,
        clientName: client.name,
        primaryNumber: client.primary,
        smsForwardNumber: client.primary,
        textBackEnabled: false, // no Twilio traffic: the pipeline is what is measured
        textBackMessage: "Sorry we missed you!",
        numberType: "Source",
        source: "Google Ads",
        ringTimeoutSeconds: 20,
        missedCallMaxSeconds: 15,
        voicemailEnabled: false,
        showTrackingNumber: false,
        active: true,
      };
      await configureTrackingNumber(db, airtable, config);
    }
  });
}

let observer: pg.Pool | undefined;
type OutboxState = { open: number; pending: number; dead: number; delivered: number; total: number };
async function outboxState(): Promise<OutboxState> {
  observer ??= new pg.Pool({ connectionString: databaseUrl(), max: 2, connectionTimeoutMillis: 10_000 });
  const { rows } = await observer.query<{ status: string; count: string }>("select status, count(*) as count from internal.outbox group by status");
  const by = Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
  const total = rows.reduce((sum, row) => sum + Number(row.count), 0);
  return { open: total - (by.delivered ?? 0), pending: by.pending ?? 0, dead: by.dead ?? 0, delivered: by.delivered ?? 0, total };
}

/** Polls until no job is left undelivered (or nothing is left to try but dead jobs) or the deadline passes. */
async function waitForOutbox(deadlineMs: number): Promise<{ emptyAt?: number; state: OutboxState }> {
  const stopAt = performance.now() + deadlineMs;
  for (;;) {
    const state = await outboxState();
    if (state.open === 0) return { emptyAt: performance.now(), state };
    if (state.pending === 0 && state.dead > 0) return { state };
    if (performance.now() > stopAt) return { state };
    await sleep(200);
  }
}

type PipelineCheck = { rows: number; leads: number; duplicates: number; missing: number; wrongCounts: number; unexpected: number; examples: string[] };
function checkPipeline(): PipelineCheck {
  const rows = airtable.rows(LEAD_PIPELINE_TABLE);
  const byKey = new Map<string, { calls: number; missed: number }[]>();
  for (const row of rows) {
    const key = String(row.fields[F.leadKey] ?? "");
    byKey.set(key, [...(byKey.get(key) ?? []), { calls: Number(row.fields[F.calls] ?? 0), missed: Number(row.fields[F.missedCalls] ?? 0) }]);
  }
  const check: PipelineCheck = { rows: rows.length, leads: expected.size, duplicates: 0, missing: 0, wrongCounts: 0, unexpected: 0, examples: [] };
  const example = (text: string) => check.examples.length < 6 && check.examples.push(text);
  for (const [key, want] of expected) {
    const found = byKey.get(key);
    if (!found) {
      check.missing++;
      example(`missing ${key}`);
      continue;
    }
    if (found.length > 1) {
      check.duplicates++;
      example(`${found.length} rows for ${key}`);
    }
    const got = found[0];
    if (got.calls !== want.calls || got.missed !== want.missed) {
      check.wrongCounts++;
      example(`${key}: Calls ${got.calls}/${want.calls}, Missed Calls ${got.missed}/${want.missed} (got/sent)`);
    }
  }
  for (const key of byKey.keys()) if (!expected.has(key)) (check.unexpected++, example(`unexpected row ${key}`));
  return check;
}
const pipelineOk = (c: PipelineCheck) => c.missing === 0 && c.duplicates === 0 && c.wrongCounts === 0 && c.unexpected === 0 && c.rows === c.leads;
const describePipeline = (c: PipelineCheck) =>
  `${c.rows} rows for ${c.leads} leads; missing ${c.missing}, duplicated ${c.duplicates}, wrong counts ${c.wrongCounts}, unexpected ${c.unexpected}`;

const pipelineWrites = () => airtable.requests.filter((r) => r.method === "PATCH" && decodeURIComponent(r.url).includes(LEAD_PIPELINE_TABLE));

const airtable = airtableApiStandIn({ token: AIRTABLE_TOKEN, baseId: AIRTABLE_BASE_ID });
airtable.defineTable(CLIENT_CONFIGURATION_TABLE, CLIENT_CONFIGURATION_FIELDS);
airtable.defineTable(LEAD_PIPELINE_TABLE, LEAD_PIPELINE_FIELDS);
const twilioApi = twilioApiStandIn({ accountSid: TWILIO_ACCOUNT_SID, authToken: TWILIO_AUTH_TOKEN });

let server: RunningServer | undefined;
let standIns: RunningStandIn[] = [];
let databaseCreated = false;
let cleaning: Promise<void> | undefined;
let cronTimer: NodeJS.Timeout | undefined;

function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    if (cronTimer) clearInterval(cronTimer);
    const step = cleanupStep;
    if (observer) await step("closing the observer pool", () => observer!.end());
    if (server) await step("stopping the server", server.stop);
    for (const standIn of standIns) await step("closing a stand-in", standIn.close);
    if (databaseCreated) await step(`dropping ${DATABASE_NAME}`, () => admin(`drop database if exists ${DATABASE_NAME} with (force)`));
  })();
  return cleaning;
}

const bail = (code: number, message: string) => harnessBail(code, message, cleanUp);

// Production's cron: GET /api/cron/outbox every minute (it drains for up to 50 s).
const cronRuns: { status: number; ms: number; body: string }[] = [];
function startCron(): void {
  const agent = new http.Agent({ keepAlive: false });
  const run = () => {
    const prepared: Prepared = { method: "GET", path: CRON_PATH, headers: { authorization: `Bearer ${CRON_SECRET}` } };
    let body = "";
    void send(agent, prepared, (status, text) => ((body = text.slice(0, 200)), status === 200 ? undefined : `cron ${status}`), 70_000).then((outcome) =>
      cronRuns.push({ status: outcome.status, ms: outcome.ms, body: outcome.problem ?? body }),
    );
  };
  cronTimer = setInterval(run, CRON_SECONDS * 1000);
  cronTimer.unref();
}

// ---------------------------------------------------------------------------------------------
// Phases

type Goal = { label: string; value: string; goal: string; pass: boolean };
const goals: Goal[] = [];
const report: string[] = [];
const allProblems: string[] = [];

function summarizeRequests(phase: string, samples: Sample[]): Goal {
  const failures = samples.filter((s) => !s.ok);
  for (const failure of failures.slice(0, 5)) allProblems.push(`${phase}: ${failure.problem}`);
  return { label: `${phase}: webhooks answered 2xx`, value: `${samples.length - failures.length}/${samples.length}`, goal: "all", pass: failures.length === 0 };
}

async function burstPhase(): Promise<void> {
  const leads = newLeads(BURST_LEADS);
  const calls = Math.round(RATE * BURST_SECONDS);
  const plan = planCalls(leads, calls, RATE);
  const writesBefore = pipelineWrites().length;
  const missed = plan.filter((c) => c.missed).length;
  console.log(`burst: ${calls} calls over ${BURST_SECONDS} s from ${leads.length} callers across ${CLIENTS} clients (one base), ${missed} missed…`);
  const t0 = performance.now();
  const run = await runCalls(plan);
  const burstEnd = run.endedAt;
  console.log(`  burst done after ${elapsed(t0)}; waiting for the outbox…`);
  const goalSeconds = drainGoalSeconds(leads.length);
  const drained = await waitForOutbox(Math.max(goalSeconds * 1000 * 3, 60_000));
  const drainSeconds = drained.emptyAt === undefined ? Number.NaN : Math.max(0, (drained.emptyAt - burstEnd) / 1000);
  const pipeline = checkPipeline();
  const writes = pipelineWrites().length - writesBefore;
  const maxRolling = airtable.maxRequestsInAnyRollingSecond();
  const refused = airtable.count429();
  const voice = run.samples.filter((s) => s.kind === "voice" && s.ok).map((s) => s.ms);
  const dial = run.samples.filter((s) => s.kind === "dial" && s.ok).map((s) => s.ms);

  goals.push(summarizeRequests("burst", run.samples));
  goals.push({ label: "burst: pipeline one row per lead, right counts", value: pipelineOk(pipeline) ? `${pipeline.rows} rows` : "no", goal: `${leads.length} rows`, pass: pipelineOk(pipeline) });
  goals.push({ label: "burst: Airtable 429s", value: String(refused), goal: "0", pass: refused === 0 });
  goals.push({
    label: "burst: outbox empty after the burst",
    value: Number.isNaN(drainSeconds) ? `not empty (${drained.state.open} open, ${drained.state.dead} dead)` : `${drainSeconds.toFixed(1)} s`,
    goal: `≤ ${goalSeconds.toFixed(0)} s`,
    pass: !Number.isNaN(drainSeconds) && drainSeconds <= goalSeconds,
  });
  report.push(
    "Burst",
    `  calls ${calls} (${missed} missed) from ${leads.length} callers, ${run.samples.length} webhooks; generator lag p99 ${ms(percentile(run.lag, 99))}`,
    `  voice webhook p50 ${ms(percentile(voice, 50))}, p99 ${ms(percentile(voice, 99))}, max ${ms(Math.max(...voice))}; dial action p50 ${ms(percentile(dial, 50))}, p99 ${ms(percentile(dial, 99))}, max ${ms(Math.max(...dial))}`,
    `  drain time after the burst: ${Number.isNaN(drainSeconds) ? "not drained" : `${drainSeconds.toFixed(1)} s`} (goal ≤ ${goalSeconds.toFixed(1)} s); outbox jobs ${drained.state.total}, open ${drained.state.open}, dead ${drained.state.dead}`,
    `  Airtable pipeline writes ${writes} → ${(writes / leads.length).toFixed(2)} requests per lead; most requests in any rolling second (base): ${maxRolling}; 429s: ${refused}`,
    `  pipeline: ${describePipeline(pipeline)}${pipeline.examples.length ? `\n    ${pipeline.examples.join("\n    ")}` : ""}`,
  );
  console.log(report.slice(-6).join("\n"));
}

async function outagePhase(kind: "503" | "hang"): Promise<void> {
  const margin = OUTAGE_MARGIN_SECONDS * 1000;
  const outageMs = OUTAGE_SECONDS * 1000;
  const totalSeconds = OUTAGE_SECONDS + 2 * OUTAGE_MARGIN_SECONDS;
  const calls = Math.round(RATE * totalSeconds);
  const leads = newLeads(Math.round(calls * (BURST_LEADS / (RATE * BURST_SECONDS))));
  const plan = planCalls(leads, calls, RATE);
  const label = kind === "503" ? "outage 503" : "outage hang";
  console.log(`${label}: ${calls} calls over ${totalSeconds} s from ${leads.length} new callers; Airtable ${kind === "503" ? "answers 503" : "accepts and hangs"} from ${OUTAGE_MARGIN_SECONDS} s for ${OUTAGE_SECONDS} s…`);
  let state: "before" | "down" | "recovered" = "before";
  let recoveredAt = 0;
  const t0 = performance.now();
  const run = await runCalls(plan, (since) => {
    if (state === "before" && since >= margin) {
      state = "down";
      if (kind === "503") airtable.goDown(503);
      else airtable.hang();
      console.log(`  Airtable down (${kind}) at ${elapsed(t0)}`);
    } else if (state === "down" && since >= margin + outageMs) {
      state = "recovered";
      airtable.recover();
      recoveredAt = performance.now();
      console.log(`  Airtable back at ${elapsed(t0)}`);
    }
  });
  if ((state as string) !== "recovered") {
    // The plan ended before the outage did (not with the defaults): finish the window.
    await sleep(Math.max(0, run.startedAt + margin + outageMs - performance.now()));
    airtable.recover();
    recoveredAt = performance.now();
  }
  console.log(`  calls done after ${elapsed(t0)}; waiting for the outbox to catch up…`);
  const caught = await waitForOutbox(CATCHUP_SECONDS * 1000);
  const catchUpSeconds = caught.emptyAt === undefined ? Number.NaN : (caught.emptyAt - recoveredAt) / 1000;
  const afterBurstSeconds = caught.emptyAt === undefined ? Number.NaN : (caught.emptyAt - run.endedAt) / 1000;
  const pipeline = checkPipeline();

  const ok = run.samples.filter((s) => s.ok);
  const before = ok.filter((s) => s.startedAt < margin).map((s) => s.ms);
  const during = ok.filter((s) => s.startedAt >= margin && s.startedAt < margin + outageMs).map((s) => s.ms);
  const after = ok.filter((s) => s.startedAt >= margin + outageMs).map((s) => s.ms);
  const slowest = Math.max(...run.samples.map((s) => s.ms));
  const p99Before = percentile(before, 99);
  const p99During = percentile(during, 99);
  const ratio = p99During / p99Before;

  goals.push(summarizeRequests(label, run.samples));
  goals.push({ label: `${label}: slowest webhook`, value: ms(slowest), goal: `≤ ${GOAL_WEBHOOK_MAX_MS} ms`, pass: slowest <= GOAL_WEBHOOK_MAX_MS });
  goals.push({ label: `${label}: p99 during / p99 before`, value: `${ratio.toFixed(2)}×`, goal: `≤ ${GOAL_P99_RATIO}×`, pass: ratio <= GOAL_P99_RATIO });
  goals.push({
    label: `${label}: pipeline complete after recovery`,
    value: pipelineOk(pipeline) ? `${pipeline.rows} rows` : "no",
    goal: `${pipeline.leads} rows`,
    pass: pipelineOk(pipeline),
  });
  report.push(
    label[0].toUpperCase() + label.slice(1),
    `  calls ${calls} from ${leads.length} new callers, ${run.samples.length} webhooks; generator lag p99 ${ms(percentile(run.lag, 99))}`,
    `  webhook p50/p99/max before ${ms(percentile(before, 50))} / ${ms(p99Before)} / ${ms(Math.max(...before))} (n=${before.length}); during ${ms(percentile(during, 50))} / ${ms(p99During)} / ${ms(Math.max(...during))} (n=${during.length}); after ${ms(percentile(after, 50))} / ${ms(percentile(after, 99))} / ${ms(Math.max(...after))} (n=${after.length})`,
    `  catch-up: outbox ${Number.isNaN(catchUpSeconds) ? `NOT empty within ${CATCHUP_SECONDS} s of the last call` : `empty ${catchUpSeconds.toFixed(1)} s after Airtable recovered (${afterBurstSeconds.toFixed(1)} s after the last webhook)`}; jobs ${caught.state.total}, open ${caught.state.open}, pending ${caught.state.pending}, dead ${caught.state.dead}`,
    `  pipeline: ${describePipeline(pipeline)}${pipeline.examples.length ? `\n    ${pipeline.examples.join("\n    ")}` : ""}`,
  );
  console.log(report.slice(-5).join("\n"));
}

// ---------------------------------------------------------------------------------------------
// The run

async function main(): Promise<number> {
  console.log("bench:pipeline – building (if stale) the production server…");
  ensureProductionBuild();

  const watchdog = setTimeout(() => void bail(2, `bench:pipeline: gave up after ${GLOBAL_TIMEOUT_MS / 1000} s`), GLOBAL_TIMEOUT_MS);
  watchdog.unref();

  const airtableServer = await serveStandIn(airtable.handle);
  standIns.push(airtableServer);
  const twilioServer = await serveStandIn(twilioApi.handle);
  standIns.push(twilioServer);
  await prepareDatabase();
  server = await startNextServer({
    env: {
      DATABASE_URL: databaseUrl(),
      PUBLIC_BASE_URL,
      TWILIO_AUTH_TOKEN,
      TWILIO_ACCOUNT_SID,
      TWILIO_API_URL: twilioServer.url,
      AIRTABLE_TOKEN,
      AIRTABLE_BASE_ID,
      AIRTABLE_API_URL: airtableServer.url,
      CRON_SECRET,
    },
  });
  serverPort = Number(new URL(server.url).port);
  console.log(`server ${server.url} (next start, PostgreSQL ${DATABASE_NAME}); ${CLIENTS} clients in base ${AIRTABLE_BASE_ID}; ${os.cpus().length} CPUs shared with this load generator.`);
  startCron();

  const started = performance.now();
  if (PHASES.has("burst")) await burstPhase();
  else {
    // The burst warms the server (JIT, route modules, pools) for the outage phases; without it, a
    // short warm-up does, so a cold start does not inflate the p99 "before the outage".
    const warmLeads = newLeads(40);
    console.log("warm-up: 100 calls over 10 s (their leads are checked with the rest)…");
    const warm = await runCalls(planCalls(warmLeads, 100, RATE));
    goals.push(summarizeRequests("warm-up", warm.samples));
    await waitForOutbox(30_000);
  }
  if (PHASES.has("503")) await outagePhase("503");
  if (PHASES.has("hang")) await outagePhase("hang");

  const w = 52;
  console.log("");
  console.log(`Leadline pipeline bench (one run, ${elapsed(started)} of load and waiting)`);
  console.log(report.join("\n"));
  console.log("");
  for (const goal of goals) console.log(`${goal.label.padEnd(w)}${goal.value.padStart(22)}   goal ${goal.goal.padEnd(10)} ${goal.pass ? "PASS" : "FAIL"}`);
  console.log("");
  const final = await outboxState();
  console.log(
    `notes: Airtable requests ${airtable.requests.length} (pipeline writes ${pipelineWrites().length}), 429s ${airtable.count429()}, most in any rolling second over the whole run ${airtable.maxRequestsInAnyRollingSecond()}; ` +
      `cron runs ${cronRuns.length} (${cronRuns.map((c) => `${c.status} ${(c.ms / 1000).toFixed(1)} s ${c.body}`).join("; ") || "none"}); ` +
      `outbox at the end: ${final.total} jobs, ${final.open} open, ${final.dead} dead; Twilio API messages sent ${twilioApi.sent.length}.`,
  );
  if (allProblems.length) console.log(`first failures:\n  ${allProblems.slice(0, 10).join("\n  ")}`);
  const complaints = server
    .output()
    .split("\n")
    .filter((line) => /fail|error|warn|unavailable/i.test(line));
  if (complaints.length) console.log(`server log: ${complaints.length} warning/error lines, first ones:\n  ${complaints.slice(0, 8).join("\n  ")}`);

  const passed = goals.length > 0 && goals.every((goal) => goal.pass);
  console.log(passed ? "bench:pipeline PASS" : "bench:pipeline FAIL");
  return passed ? 0 : 1;
}

await runBench("bench:pipeline", main, cleanUp);
