// `npm run bench:webhook` – the hot-path budget of DESIGN.md ("The hot path"), measured on the
// production server over PostgreSQL, from one run:
//
//   1. paced latency: /api/twilio/voice (signed, a fresh CallSid per request, known tracking numbers,
//      an Airtable stand-in answering in 600 ms) and /api/health/live (the cheapest route), each at
//      50 requests/s, evenly spaced, open-loop and interleaved in the same window so drift of the
//      shared machine hits both alike → p50 / p99 per route;
//   2. throughput: 32 keep-alive connections in a closed loop, 15 s per route (in alternating
//      5 s segments, A B B A A B, for the same reason) → requests/s per route.
//
// Goals, as ratios of the same run: voice p50 ≤ 2× health p50, voice p99 ≤ 2× health p99, voice
// throughput ≥ 50 % of health's. Exits 1 when a goal is missed or any request failed (non-200,
// no <Dial> in the voice answer, transport error, or a routed call the database did not log).
//
// Knobs for exploring (the acceptance numbers are the defaults): BENCH_PACED_SECONDS,
// BENCH_PACED_RATE, BENCH_THROUGHPUT_SECONDS, BENCH_CONNECTIONS, BENCH_WARMUP_SECONDS,
// BENCH_AIRTABLE_LATENCY_MS, BENCH_TIMEOUT_SECONDS (after the build), BENCH_POSTGRES_URL (the
// server to create the throw-away database on).
import { adminQuery, bail as harnessBail, cleanupStep, databaseUrlFor, numberFrom, percentile, prepareThrowAwayDatabase, runBench } from "./bench-harness";
import { HEALTH_LIVE, loadGenerator, newTally, type Prepared, type Target } from "./load-generator";
import { randomInt } from "node:crypto";
import os from "node:os";
import pg from "pg";
import twilio from "twilio";
import { CONFIG_FIELDS } from "../../lib/airtable/config-fields";
import { seedDatabase } from "../../lib/db/seed-database";
import { LEAD_PIPELINE_FIELDS, LEAD_PIPELINE_TABLE } from "../support/lead-pipeline-table";
import { ensureProductionBuild, startNextServer, type RunningServer } from "../support/next-server";
import { airtableApiStandIn } from "../support/stand-ins/airtable-api";
import { serveStandIn, type RunningStandIn } from "../support/stand-ins/serve-stand-in";
import { twilioApiStandIn } from "../support/stand-ins/twilio-api";
import { sid, toForm, type Params } from "../support/twilio-webhook";


const PACED_RATE = numberFrom("BENCH_PACED_RATE", 50); // requests/s per route
const PACED_SECONDS = numberFrom("BENCH_PACED_SECONDS", 20);
const CONNECTIONS = numberFrom("BENCH_CONNECTIONS", 32);
const THROUGHPUT_SECONDS = numberFrom("BENCH_THROUGHPUT_SECONDS", 15); // per route
const THROUGHPUT_SEGMENTS = 3; // per route, in the order A B B A A B
const WARMUP_SECONDS = numberFrom("BENCH_WARMUP_SECONDS", 3);
const AIRTABLE_LATENCY_MS = numberFrom("BENCH_AIRTABLE_LATENCY_MS", 600);
// Everything after the (synchronous) build: setup, warm-up, both phases, report, cleanup.
const GLOBAL_TIMEOUT_MS = numberFrom("BENCH_TIMEOUT_SECONDS", 300 + PACED_SECONDS + 2 * THROUGHPUT_SECONDS + 4 * WARMUP_SECONDS) * 1000;

const GOAL_LATENCY_RATIO = 2;
const GOAL_THROUGHPUT_SHARE = 0.5;

const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const DATABASE_NAME = `leadline_bench_${process.pid}_${Date.now()}`;
const PUBLIC_BASE_URL = "https://leads.example.test";
const VOICE_PATH = "/api/twilio/voice";
const TWILIO_ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";
const TWILIO_AUTH_TOKEN = "bench-auth-token-0123456789abcdef";
const AIRTABLE_TOKEN = "patBenchToken.0123456789";
const AIRTABLE_BASE_ID = "appBenchBase01234";

// Tracking numbers added beside the seed's three, so "known numbers" are a dozen across four
// clients, every one in the config snapshot (and in the Airtable stand-in, as a synced base is).
const EXTRA_CLIENTS = [
  { id: "lone-star-hvac", name: "Lone Star HVAC" },
  { id: "hill-country-roofing", name: "Hill Country Roofing" },
];
const EXTRA_NUMBERS = [
  { phone: "+15125550102", client: "acme-plumbing", primary: "+15125550111", source: "Yelp", ring: 20, show: false },
  { phone: "+15125550103", client: "acme-plumbing", primary: "+15125550111", source: "Direct Mail", ring: 25, show: true },
  { phone: "+17375550201", client: "bright-smiles", primary: "+17375550211", source: "Google Ads", ring: 20, show: false },
  { phone: "+17375550202", client: "bright-smiles", primary: "+17375550211", source: "Website", ring: 30, show: false },
  { phone: "+15125550300", client: "lone-star-hvac", primary: "+15125550311", source: "Google Ads", ring: 20, show: false },
  { phone: "+15125550301", client: "lone-star-hvac", primary: "+15125550311", source: "Facebook Ads", ring: 20, show: true },
  { phone: "+15125550302", client: "lone-star-hvac", primary: "+15125550312", source: "Radio", ring: 15, show: false },
  { phone: "+18305550400", client: "hill-country-roofing", primary: "+18305550411", source: "Google Ads", ring: 20, show: false },
  { phone: "+18305550401", client: "hill-country-roofing", primary: "+18305550411", source: "Yard Signs", ring: 20, show: false },
];

// ---------------------------------------------------------------------------------------------
// Requests

const VOICE_CHECK = (status: number, body: string) => (status === 200 && body.includes("<Dial") ? undefined : `voice ${status}: ${body.slice(0, 200)}`);

/** Signed voice webhooks, computed ahead of each phase so HMAC signing is not in the measured loop. */
class VoiceBodies {
  private bodies: Prepared[] = [];
  private index = 0;
  signedDuringMeasurement = 0;
  used = 0;

  constructor(private readonly trackingNumbers: string[]) {}

  /** Makes sure at least `count` unused bodies are ready. */
  prepare(count: number): void {
    this.bodies = this.bodies.slice(this.index);
    this.index = 0;
    while (this.bodies.length < count) this.bodies.push(this.sign());
  }

  next(): Prepared {
    this.used++;
    if (this.index < this.bodies.length) return this.bodies[this.index++];
    this.signedDuringMeasurement++;
    return this.sign();
  }

  private sign(): Prepared {
    const to = this.trackingNumbers[randomInt(this.trackingNumbers.length)];
    const from = `+1512555${String(randomInt(10_000)).padStart(4, "0")}`;
    // The fields Twilio sends with an inbound call (the route keeps the ones it does not use).
    const params: Params = {
      AccountSid: TWILIO_ACCOUNT_SID,
      ApiVersion: "2010-04-01",
      CallSid: sid("CA"),
      CallStatus: "ringing",
      CallToken: `%7B%22parentCallInfoToken%22%3A%22${sid("CA")}%22%7D`,
      Called: to,
      CalledCity: "AUSTIN",
      CalledCountry: "US",
      CalledState: "TX",
      CalledZip: "78701",
      Caller: from,
      CallerCity: "AUSTIN",
      CallerCountry: "US",
      CallerState: "TX",
      CallerZip: "78702",
      Direction: "inbound",
      From: from,
      FromCity: "AUSTIN",
      FromCountry: "US",
      FromState: "TX",
      FromZip: "78702",
      StirVerstat: "TN-Validation-Passed-A",
      To: to,
      ToCity: "AUSTIN",
      ToCountry: "US",
      ToState: "TX",
      ToZip: "78701",
    };
    const signature = twilio.getExpectedTwilioSignature(TWILIO_AUTH_TOKEN, PUBLIC_BASE_URL + VOICE_PATH, params);
    const body = Buffer.from(toForm(params).toString());
    return {
      method: "POST",
      path: VOICE_PATH,
      body,
      headers: { "content-type": "application/x-www-form-urlencoded", "content-length": body.length, "x-twilio-signature": signature, "i-twilio-idempotency-token": sid("RE") },
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Numbers


const ms = (value: number) => `${value.toFixed(2)} ms`;
const pad = (text: string, width: number) => text.padEnd(width);
const padStart = (text: string, width: number) => text.padStart(width);

// ---------------------------------------------------------------------------------------------
// Setup and teardown

const admin = (sql: string) => adminQuery(POSTGRES_URL, sql);
const databaseUrl = () => databaseUrlFor(POSTGRES_URL, DATABASE_NAME);

// The demo history's calls, which the measured webhooks did not write.
let seededCalls = 0;

async function prepareDatabase(): Promise<string[]> {
  return prepareThrowAwayDatabase(POSTGRES_URL, DATABASE_NAME, () => (databaseCreated = true), async (db) => {
    await seedDatabase(db, { onlyIfEmpty: false });
    [{ count: seededCalls }] = await db.query<{ count: number }>("select count(*)::int as count from public.calls");
    for (const client of EXTRA_CLIENTS) {
      await db.query("insert into public.clients (id, name) values ($1, $2) on conflict (id) do nothing", [client.id, client.name]);
    }
    for (const n of EXTRA_NUMBERS) {
      await db.query(
        `insert into public.tracking_numbers (phone_number, client_id, primary_number, source, number_type, ring_timeout_seconds, show_tracking_number, active)
         values ($1, $2, $3, $4, 'Source', $5, $6, true)`,
        [n.phone, n.client, n.primary, n.source, n.ring, n.show],
      );
    }
    const rows = await db.query<{ phone_number: string; client_id: string; client_name: string; primary_number: string; source: string | null }>(
      `select t.phone_number, t.client_id, c.name as client_name, t.primary_number, t.source
         from public.tracking_numbers t join public.clients c on c.id = t.client_id
        where t.active order by t.phone_number`,
    );
    for (const row of rows) {
      airtable.addRow("Client Configuration", {
        [CONFIG_FIELDS.trackingNumber]: row.phone_number,
        [CONFIG_FIELDS.clientId]: row.client_id,
        [CONFIG_FIELDS.clientName]: row.client_name,
        [CONFIG_FIELDS.primaryNumber]: row.primary_number,
        [CONFIG_FIELDS.source]: row.source ?? "",
        [CONFIG_FIELDS.active]: true,
      });
    }
    return rows.map((row) => row.phone_number);
  });
}

async function loggedCalls(): Promise<{ calls: number; outbox: number }> {
  const client = new pg.Client({ connectionString: databaseUrl(), connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    const [{ count: calls }] = (await client.query<{ count: number }>("select count(*)::int as count from public.calls")).rows;
    const [{ count: outbox }] = (await client.query<{ count: string }>("select count(*) as count from internal.outbox")).rows;
    return { calls: calls - seededCalls, outbox: Number(outbox) };
  } finally {
    await client.end();
  }
}

/**
 * The count once the last calls answered are written: each is logged after its answer, so the
 * final batch may still be committing when the load stops. Read until two reads a second apart agree.
 */
async function settledLoggedCalls(): Promise<{ calls: number; outbox: number }> {
  let last = await loggedCalls();
  for (let read = 0; read < 30; read += 1) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = await loggedCalls();
    if (now.calls === last.calls && now.outbox === last.outbox) return now;
    last = now;
  }
  return last;
}

const airtable = airtableApiStandIn({ token: AIRTABLE_TOKEN, baseId: AIRTABLE_BASE_ID });
airtable.defineTable("Client Configuration", Object.values(CONFIG_FIELDS));
airtable.defineTable(LEAD_PIPELINE_TABLE, LEAD_PIPELINE_FIELDS);
const twilioApi = twilioApiStandIn({ accountSid: TWILIO_ACCOUNT_SID, authToken: TWILIO_AUTH_TOKEN });

let server: RunningServer | undefined;
let standIns: RunningStandIn[] = [];
let databaseCreated = false;
let cleaning: Promise<void> | undefined;

function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    const step = cleanupStep;
    if (server) await step("stopping the server", server.stop);
    for (const standIn of standIns) await step("closing a stand-in", standIn.close);
    if (databaseCreated) await step(`dropping ${DATABASE_NAME}`, () => admin(`drop database if exists ${DATABASE_NAME} with (force)`));
  })();
  return cleaning;
}

const bail = (code: number, message: string) => harnessBail(code, message, cleanUp);

// ---------------------------------------------------------------------------------------------
// The run

async function main(): Promise<number> {
  console.log("bench:webhook – building (if stale) the production server…");
  ensureProductionBuild();

  const watchdog = setTimeout(() => void bail(2, `bench:webhook: gave up after ${GLOBAL_TIMEOUT_MS / 1000} s`), GLOBAL_TIMEOUT_MS);
  watchdog.unref();

  const airtableServer = await serveStandIn(airtable.handle);
  standIns.push(airtableServer);
  airtable.setLatency(AIRTABLE_LATENCY_MS);
  const twilioServer = await serveStandIn(twilioApi.handle);
  standIns.push(twilioServer);

  const trackingNumbers = await prepareDatabase();
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
    },
  });
  const { pacedPhase, closedLoop } = loadGenerator(Number(new URL(server.url).port));
  console.log(
    `server ${server.url} (next start, PostgreSQL ${DATABASE_NAME}); ${trackingNumbers.length} known tracking numbers; ` +
      `Airtable stand-in at ${AIRTABLE_LATENCY_MS} ms; ${os.cpus().length} CPUs shared with this load generator.`,
  );

  const voiceBodies = new VoiceBodies(trackingNumbers);
  const health = HEALTH_LIVE;
  const voice: Target = { name: "voice", next: () => voiceBodies.next(), check: VOICE_CHECK };
  const warmUp = { health: newTally(), voice: newTally() }; // warm-up: its failures count, its times do not

  // Warm-up, discarded: JIT, Next's route modules, the pg pool, the config cache.
  console.log(`warm-up: ${WARMUP_SECONDS} s per route at ${CONNECTIONS} connections, then ${WARMUP_SECONDS} s paced…`);
  voiceBodies.prepare(2000);
  const warmHealth = await closedLoop(health, CONNECTIONS, WARMUP_SECONDS, warmUp.health);
  const warmVoice = await closedLoop(voice, CONNECTIONS, WARMUP_SECONDS, warmUp.voice);
  const voiceRateEstimate = warmVoice.completed / (warmVoice.elapsedMs / 1000);
  voiceBodies.prepare(Math.ceil(PACED_RATE * WARMUP_SECONDS) + 100);
  const warmPaced = await pacedPhase([health, voice], PACED_RATE, WARMUP_SECONDS);
  for (const [name, tally] of warmPaced.tallies) {
    warmUp[name as "health" | "voice"].ok += tally.ok;
    warmUp[name as "health" | "voice"].failures += tally.failures;
    warmUp[name as "health" | "voice"].problems.push(...tally.problems);
  }
  console.log(
    `  warm-up rates: health ${(warmHealth.completed / (warmHealth.elapsedMs / 1000)).toFixed(0)} req/s, voice ${voiceRateEstimate.toFixed(0)} req/s`,
  );

  const airtableBefore = airtable.requests.length;
  voiceBodies.signedDuringMeasurement = 0;

  // 1. Paced latency, both routes interleaved in one window.
  console.log(`paced: ${PACED_RATE} req/s per route for ${PACED_SECONDS} s, interleaved, open-loop…`);
  voiceBodies.prepare(Math.ceil(PACED_RATE * PACED_SECONDS) + 100);
  const paced = await pacedPhase([health, voice], PACED_RATE, PACED_SECONDS);
  const pacedHealth = paced.tallies.get("health")!;
  const pacedVoice = paced.tallies.get("voice")!;

  // 2. Throughput, 32 connections, alternating segments (A B B A A B) to cancel linear drift.
  console.log(`throughput: ${CONNECTIONS} connections, ${THROUGHPUT_SECONDS} s per route in ${THROUGHPUT_SEGMENTS} segments each…`);
  const segmentSeconds = THROUGHPUT_SECONDS / THROUGHPUT_SEGMENTS;
  // Enough signed bodies for the fastest rate seen so far (the empty route's bounds the voice route's).
  let fastestRate = Math.max(voiceRateEstimate, warmHealth.completed / (warmHealth.elapsedMs / 1000));
  const throughput = { health: { completed: 0, elapsedMs: 0, tally: newTally() }, voice: { completed: 0, elapsedMs: 0, tally: newTally() } };
  const order: ("health" | "voice")[] = [];
  for (let i = 0; i < THROUGHPUT_SEGMENTS; i++) order.push(...(i % 2 === 0 ? (["health", "voice"] as const) : (["voice", "health"] as const)));
  for (const name of order) {
    const slot = throughput[name];
    if (name === "voice") voiceBodies.prepare(Math.ceil(fastestRate * segmentSeconds * 1.5) + 500);
    const result = await closedLoop(name === "health" ? health : voice, CONNECTIONS, segmentSeconds, slot.tally);
    fastestRate = Math.max(fastestRate, result.completed / (result.elapsedMs / 1000));
    slot.completed += result.completed;
    slot.elapsedMs += result.elapsedMs;
    console.log(`  ${pad(name, 6)} segment: ${(result.completed / (result.elapsedMs / 1000)).toFixed(0)} req/s`);
  }

  // Config reads: the voice route must never wait on Airtable for a known number. (The outbox
  // drainer's pipeline writes, paced in the background, are not on the webhook's path.)
  const airtableDuring = airtable.requests.slice(airtableBefore).filter((request) => request.method === "GET");
  const { calls: callsLogged, outbox } = await settledLoggedCalls();

  // ---- Report
  const healthP50 = percentile(pacedHealth.samples, 50);
  const healthP99 = percentile(pacedHealth.samples, 99);
  const voiceP50 = percentile(pacedVoice.samples, 50);
  const voiceP99 = percentile(pacedVoice.samples, 99);
  const healthRps = throughput.health.completed / (throughput.health.elapsedMs / 1000);
  const voiceRps = throughput.voice.completed / (throughput.voice.elapsedMs / 1000);
  const p50Ratio = voiceP50 / healthP50;
  const p99Ratio = voiceP99 / healthP99;
  const rpsShare = voiceRps / healthRps;

  const allTallies = [warmUp.health, warmUp.voice, pacedHealth, pacedVoice, throughput.health.tally, throughput.voice.tally];
  const voiceOk = [warmUp.voice, pacedVoice, throughput.voice.tally].reduce((sum, t) => sum + t.ok, 0);
  const requestFailures = allTallies.reduce((sum, t) => sum + t.failures, 0);
  const unlogged = voiceOk - callsLogged;
  const problems = allTallies.flatMap((t) => t.problems).slice(0, 8);

  const goals = [
    { label: "voice p50 / health p50", value: `${p50Ratio.toFixed(2)}×`, goal: `≤ ${GOAL_LATENCY_RATIO}×`, pass: p50Ratio <= GOAL_LATENCY_RATIO },
    { label: "voice p99 / health p99", value: `${p99Ratio.toFixed(2)}×`, goal: `≤ ${GOAL_LATENCY_RATIO}×`, pass: p99Ratio <= GOAL_LATENCY_RATIO },
    { label: "voice req/s / health req/s", value: `${(rpsShare * 100).toFixed(1)} %`, goal: `≥ ${GOAL_THROUGHPUT_SHARE * 100} %`, pass: rpsShare >= GOAL_THROUGHPUT_SHARE },
    { label: "failed requests", value: String(requestFailures), goal: "0", pass: requestFailures === 0 },
    { label: "answered calls not logged", value: String(unlogged), goal: "0", pass: unlogged === 0 },
  ];

  const lag50 = percentile(paced.lag, 50);
  const lag99 = percentile(paced.lag, 99);
  const w = [30, 16, 18];
  console.log("");
  console.log("Leadline webhook bench (one run; ratios are the goal, absolute times drift on shared machines)");
  console.log(`${pad("", w[0])}${padStart(HEALTH_LIVE.next().path, w[1])}${padStart(VOICE_PATH, w[2])}`);
  console.log(`${pad(`paced ${PACED_RATE} req/s each: samples`, w[0])}${padStart(String(pacedHealth.samples.length), w[1])}${padStart(String(pacedVoice.samples.length), w[2])}`);
  console.log(`${pad("  p50", w[0])}${padStart(ms(healthP50), w[1])}${padStart(ms(voiceP50), w[2])}`);
  console.log(`${pad("  p90", w[0])}${padStart(ms(percentile(pacedHealth.samples, 90)), w[1])}${padStart(ms(percentile(pacedVoice.samples, 90)), w[2])}`);
  console.log(`${pad("  p99", w[0])}${padStart(ms(healthP99), w[1])}${padStart(ms(voiceP99), w[2])}`);
  console.log(`${pad("  max", w[0])}${padStart(ms(Math.max(...pacedHealth.samples)), w[1])}${padStart(ms(Math.max(...pacedVoice.samples)), w[2])}`);
  console.log(`${pad(`${CONNECTIONS} connections: requests`, w[0])}${padStart(String(throughput.health.completed), w[1])}${padStart(String(throughput.voice.completed), w[2])}`);
  console.log(`${pad("  requests/s", w[0])}${padStart(healthRps.toFixed(0), w[1])}${padStart(voiceRps.toFixed(0), w[2])}`);
  console.log(`${pad("  p50 under load", w[0])}${padStart(ms(percentile(throughput.health.tally.samples, 50)), w[1])}${padStart(ms(percentile(throughput.voice.tally.samples, 50)), w[2])}`);
  console.log("");
  for (const goal of goals) console.log(`${pad(goal.label, w[0])}${padStart(goal.value, w[1])}   goal ${pad(goal.goal, 7)} ${goal.pass ? "PASS" : "FAIL"}`);
  console.log("");
  console.log(
    `notes: pacing lag of the generator p50 ${ms(lag50)}, p99 ${ms(lag99)}; voice bodies signed inside the measured loop: ${voiceBodies.signedDuringMeasurement}; ` +
      `calls logged ${callsLogged} of ${voiceOk} answered, outbox jobs ${outbox}; Airtable config reads during measurement: ${airtableDuring.length}` +
      (airtableDuring.length ? ` (${[...new Set(airtableDuring.map((r) => `${r.method} ${r.url.split("?")[0]}`))].join(", ")})` : "") +
      `; Twilio API messages sent: ${twilioApi.sent.length}.`,
  );
  if (problems.length) console.log(`first failures:\n  ${problems.join("\n  ")}`);
  const serverComplaints = server
    .output()
    .split("\n")
    .filter((line) => /fail|error|warn|unavailable/i.test(line));
  if (serverComplaints.length) {
    console.log(`server log: ${serverComplaints.length} warning/error lines, first ones:\n  ${serverComplaints.slice(0, 8).join("\n  ")}`);
  }

  const passed = goals.every((goal) => goal.pass);
  console.log(passed ? "bench:webhook PASS" : "bench:webhook FAIL");
  return passed ? 0 : 1;
}

await runBench("bench:webhook", main, cleanUp);
