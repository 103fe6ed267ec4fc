// `npm run bench:scale` – many instances behaving as one (issue 10, part 5). One production build
// (NEXT_DIST_DIR, default .next-scale), then on one throw-away PostgreSQL database: three `next
// start` instances and two `npm run worker` processes, behind a round-robin proxy that skips an
// instance refusing connections (tests/bench/scale/round-robin-proxy.ts), with the Twilio and
// Airtable stand-ins on local ports. The Airtable stand-in behaves as Airtable does: 5 requests a
// second per base, a 429 (and 30 s of them) past that, every arrival time kept per base; it runs in
// a process of its own, so this busy one cannot bunch arrival times. Two of the six clients deliver
// their Lead Pipeline to a base of their own, so two bases keep two paces.
//
// This process plays Twilio (tests/support/twilio-player.ts): a burst of BENCH_SCALE_CALLS calls
// (1,200) at BENCH_SCALE_RATE a second (12), each signed as Twilio signs it: the voice webhook, a
// ring, then the dial action and the parent's status callback in order, reversed or together; half
// missed (no answer, busy, too short, or abandoned while ringing), so text-backs are due; one call
// in twelve from a caller who called the same client a moment ago; one inbound text every four
// calls. Twilio's call and message logs are kept in the stand-in, so reconciliation can fill in
// what a killed instance lost. A voice or SMS webhook that fails is asked again at the fallback URL
// (the same route), as Twilio does; the dial action and status callback are not.
//
// Meanwhile, on one client's site (a pool of 12 tracking numbers, through the proxy): 130 page
// views from one address from the first second on, which every instance counts in Postgres, so
// 120 are allowed in a minute whichever instance answers and the rest refused; and three waves of 36 visitors from a Google Ads click,
// all at once: before the kill, while an instance is down (the first wave reloading and sending
// heartbeats beside new visitors), and after the leases are aged past expiry with SQL.
//
// At BENCH_SCALE_KILL_AT seconds (40) one `next start` instance is SIGKILLed mid-burst and started
// again BENCH_SCALE_DOWN_SECONDS later (10). The scheduled jobs (outbox, follow-ups) are called
// through the proxy with the CRON_SECRET bearer every BENCH_SCALE_CRON_SECONDS (10; production:
// every minute); reconciliation runs once the burst's last calls are two minutes old, as it skips
// younger ones; then everything owed is waited for.
//
// Prints one table and exits 1 unless: 0 duplicates (leads, pipeline rows, calls, text-backs), 0
// lost (calls, texts, leads, pipeline rows, text-backs), every text-back due sent exactly once and
// none to an answered caller, every call and text answered (at the fallback URL at the latest),
// 0 × 429 from Airtable, at most 5 Airtable requests in any rolling second per base, 0 lease
// conflicts, and rate-limit verdicts that agree with Postgres' count: each answered request counted
// once, no more than 120 allowed in the minute, none refused within it, the rest refused.
// Knobs: BENCH_SCALE_CALLS, BENCH_SCALE_RATE, BENCH_SCALE_KILL_AT, BENCH_SCALE_DOWN_SECONDS,
// BENCH_SCALE_CRON_SECONDS, NEXT_DIST_DIR, BENCH_POSTGRES_URL (else TEST_POSTGRES_URL),
// BENCH_SCALE_LOGS (a folder to keep every instance's and worker's output in).
import { randomBytes, randomInt } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import pg from "pg";
import { TRACKING_REQUESTS_PER_MINUTE } from "../../lib/tracking/tracking-limits";
import { saveTrackingNumberSnapshot } from "../../lib/config/tracking-number-snapshot";
import { ensureProductionBuild, freePort, startNextServer, type RunningServer } from "../support/next-server";
import { startScript, type RunningCommand } from "../support/run-command";
import { maxInAnyRollingSecond } from "../support/stand-ins/airtable/base";
import { serveStandIn, type RunningStandIn } from "../support/stand-ins/serve-stand-in";
import { twilioApiStandIn } from "../support/stand-ins/twilio-api";
import { newCaller, pick, playedClientConfig, TwilioPlayer, type CallOutcome, type Delivery, type PlayedClient } from "../support/twilio-player";
import { adminQuery, bail, cleanupStep, databaseUrlFor, numberFrom, prepareThrowAwayDatabase, runBench, sleep } from "./bench-harness";
import { countPlayedTraffic, type PlayedTraffic } from "./count-played-traffic";
import { scheduledJobs } from "./scheduled-jobs";
import { startAirtableProcess, type AirtableProcess, type BaseState } from "./scale/airtable-process";
import { startRoundRobinProxy, type RoundRobinProxy } from "./scale/round-robin-proxy";
import { endLeases, LeaseLedger, newVisitor, overlappingLeases, probeRateLimit, siteVisitors, type RateLimitVerdicts } from "./scale/site-visitors";

const CALLS = numberFrom("BENCH_SCALE_CALLS", 1200);
const RATE = numberFrom("BENCH_SCALE_RATE", 12);
const KILL_AT_SECONDS = numberFrom("BENCH_SCALE_KILL_AT", 40);
const DOWN_SECONDS = numberFrom("BENCH_SCALE_DOWN_SECONDS", 10);
const CRON_SECONDS = numberFrom("BENCH_SCALE_CRON_SECONDS", 10);
const DIST_DIR = process.env.NEXT_DIST_DIR || ".next-scale";
const INSTANCES = 3;
const WORKERS = 2;
const KILLED = 1;
const SETTLE_LIMIT_SECONDS = 420;
// Everything after the (synchronous) build: start-up, a wait for the minute to be young, the burst,
// reconciliation's two minutes, settling.
const GLOBAL_TIMEOUT_MS = (240 + CALLS / RATE + 130 + SETTLE_LIMIT_SECONDS) * 1000;

const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const DATABASE_NAME = `leadline_scale_${process.pid}_${Date.now()}`;
const PUBLIC_BASE_URL = "https://leads.example.test";
const TWILIO_ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";
const TWILIO_AUTH_TOKEN = "scale-auth-token-0123456789abcdef";
const AIRTABLE_TOKEN = "patScaleToken.0123456789";
const AIRTABLE_BASE_ID = "appScaleAgency012";
const CLIENT_BASE_ID = "appScaleClient012";
const CRON_SECRET = `cron-${randomBytes(12).toString("hex")}`;
const MISSED_CALL_MAX_SECONDS = 15;

// ---------------------------------------------------------------------------------------------
// The agency: six clients on Source numbers with text-back on (the last two with their own
// pipeline base), and one client whose site leases numbers from a pool.

const clients: (PlayedClient & { baseId?: string })[] = Array.from({ length: 6 }, (_, i) => ({
  id: `scale-client-${i + 1}`,
  name: `Scale Client ${i + 1}`,
  trackingNumber: `+1512555${3000 + i}`,
  primary: `+1214555${3000 + i}`,
  mobile: `+1469555${3000 + i}`,
  baseId: i >= 4 ? CLIENT_BASE_ID : undefined,
}));
const POOL_SIZE = 12;
const WAVE = 36;
const SITE = { clientId: "scale-site", domain: "scale-site.example", origin: "https://www.scale-site.example", primary: "+12145553099", fallback: "+15125553099" };
const poolNumbers = Array.from({ length: POOL_SIZE }, (_, i) => `+1512555${3100 + i}`);
const RATE_LIMIT_REQUESTS = TRACKING_REQUESTS_PER_MINUTE + 10;

const OUTCOMES: CallOutcome[] = ["answered", "answered", "answered", "answered", "no-answer", "busy", "short", "abandoned"];
const DELIVERIES: Delivery[] = ["in-order", "status-first", "together"];

// ---------------------------------------------------------------------------------------------
// Stand-ins, database, processes

const configs = [
  ...clients.map((client) => playedClientConfig(client, MISSED_CALL_MAX_SECONDS, { pipelineBaseId: client.baseId })),
  ...poolNumbers.map((trackingNumber) =>
    playedClientConfig({ id: SITE.clientId, name: "Scale Site", trackingNumber, primary: SITE.primary, mobile: SITE.primary }, MISSED_CALL_MAX_SECONDS, {
      numberType: "Pool",
      websiteDomains: [SITE.domain],
      fallbackNumber: SITE.fallback,
    }),
  ),
];
const twilioApi = twilioApiStandIn({ accountSid: TWILIO_ACCOUNT_SID, authToken: TWILIO_AUTH_TOKEN });

let airtable: AirtableProcess | undefined;
let twilioStandIn: RunningStandIn | undefined;
const servers: RunningServer[] = [];
/** The killed instance, kept for its log. */
const killedServers: RunningServer[] = [];
const workers: RunningCommand[] = [];
let proxy: RoundRobinProxy | undefined;
let databaseCreated = false;
let observer: pg.Pool | undefined;
let cleaning: Promise<void> | undefined;

const databaseUrl = () => databaseUrlFor(POSTGRES_URL, DATABASE_NAME);
const query = async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> => {
  observer ??= new pg.Pool({ connectionString: databaseUrl(), max: 2, connectionTimeoutMillis: 10_000 });
  return (await observer.query<T>(sql, params)).rows;
};
const jobs = scheduledJobs({ serverUrl: () => proxy!.url, cronSecret: CRON_SECRET, everySeconds: CRON_SECONDS, query });

function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    jobs.stop();
    for (const worker of workers) await cleanupStep("stopping a worker", worker.stop);
    for (const server of servers) await cleanupStep("stopping an instance", server.stop);
    if (proxy) await cleanupStep("closing the proxy", proxy.close);
    if (observer) await cleanupStep("closing the observer pool", () => observer!.end());
    if (airtable) await cleanupStep("stopping the Airtable stand-in", airtable.stop);
    if (twilioStandIn) await cleanupStep("closing the Twilio stand-in", twilioStandIn.close);
    if (databaseCreated) await cleanupStep(`dropping ${DATABASE_NAME}`, () => adminQuery(POSTGRES_URL, `drop database if exists ${DATABASE_NAME} with (force)`));
  })();
  return cleaning;
}

async function prepareDatabase(): Promise<void> {
  // The routing snapshot a sync makes of the rows; the rows themselves are in the Airtable stand-in.
  await prepareThrowAwayDatabase(POSTGRES_URL, DATABASE_NAME, () => (databaseCreated = true), async (db) => {
    for (const config of configs) await db.transaction((tx) => saveTrackingNumberSnapshot(tx, config));
  });
}

/** What a self-hosted deploy gives every instance and worker. */
const deployEnv = (): Record<string, string> => ({
  NODE_ENV: "production",
  DATABASE_URL: databaseUrl(),
  PUBLIC_BASE_URL,
  TWILIO_AUTH_TOKEN,
  TWILIO_ACCOUNT_SID,
  TWILIO_API_URL: twilioStandIn!.url,
  AIRTABLE_TOKEN,
  AIRTABLE_BASE_ID,
  AIRTABLE_API_URL: airtable!.url,
  CRON_SECRET,
});
const startInstance = (port: number) => startNextServer({ env: { ...deployEnv(), NEXT_DIST_DIR: DIST_DIR }, port, timeoutMs: 120_000 });

// ---------------------------------------------------------------------------------------------
// The burst, and what happens beside it

/** Calls at RATE a second, open loop, with a text every fourth call. */
async function burst(player: TwilioPlayer): Promise<void> {
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  for (let i = 0; i < CALLS; i += 1) {
    await sleep(Math.max(0, started + (i * 1000) / RATE - performance.now()));
    const client = pick(clients);
    // Callers of this client a moment ago, whose calls may still be in flight on another instance.
    const recent = [...player.calls.values()].filter((call) => call.client === client).slice(-20);
    const caller = i % 12 === 11 && recent.length > 0 ? pick(recent).caller : newCaller();
    inFlight.push(player.call(client, pick(OUTCOMES), DELIVERIES[i % DELIVERIES.length], caller));
    if (i % 4 === 3) inFlight.push(player.text(client, recent.length > 0 && randomInt(2) === 0 ? pick(recent).caller : newCaller()));
    if ((i + 1) % 300 === 0) progress(`${i + 1} calls begun`);
  }
  await Promise.all(inFlight);
  progress("every call's callbacks answered");
}

type Timeline = { killedAt?: number; restartedAt?: number; backInRotationAt?: number };
type SiteReport = { rateLimit: RateLimitVerdicts; ledger: LeaseLedger; overlaps: number; waves: string[]; heartbeats: string[] };

let ipSerial = 0;
let burstStartedAt = 0;
const progress = (what: string) => console.log(`  ${((performance.now() - burstStartedAt) / 1000).toFixed(1)} s: ${what}`);
const visitorIp = () => `10.77.${Math.floor(ipSerial / 250)}.${(ipSerial++ % 250) + 1}`;

/** The kill and restart of one instance, and the site's visitors around it. */
async function besideTheBurst(startedAt: number, timeline: Timeline): Promise<SiteReport> {
  const visitors = siteVisitors({ proxyUrl: proxy!.url, clientId: SITE.clientId, origin: SITE.origin });
  const ledger = new LeaseLedger();
  const waves: string[] = [];
  const heartbeats: string[] = [];
  const at = (seconds: number) => sleep(Math.max(0, startedAt + seconds * 1000 - performance.now()));
  const ipOf = new Map<string, string>();
  const wave = async (name: string, holdersToo: boolean) => {
    const fresh = Array.from({ length: WAVE }, newVisitor);
    const before = { leased: ledger.leased, fallbacks: ledger.fallbacks, unanswered: ledger.unanswered };
    const holders = holdersToo ? ledger.holding() : [];
    const held = await Promise.all([
      ...fresh.map(async (visitor) => {
        ipOf.set(visitor, visitorIp());
        ledger.record(visitor, await visitors.session(visitor, ipOf.get(visitor)!));
      }),
      ...holders.map(async ([, visitor]) => ledger.record(visitor, await visitors.session(visitor, ipOf.get(visitor)!))),
      ...holders.map(([number, visitor]) => visitors.heartbeat(visitor, number, ipOf.get(visitor)!)),
    ]);
    const beats = held.slice(fresh.length + holders.length);
    if (holders.length > 0) heartbeats.push(`${name}: ${beats.filter((beat) => beat === true).length}/${holders.length} held`);
    progress(`visitors ${name}`);
    waves.push(
      `${name}: ${WAVE} new${holders.length ? ` + ${holders.length} reloading` : ""} → ${ledger.leased - before.leased} leased, ${ledger.fallbacks - before.fallbacks} fallback, ${ledger.unanswered - before.unanswered} unanswered`,
    );
  };

  // From the first second, beside everything else; on a busy machine it may still run at the kill.
  const rateLimitProbe = probeRateLimit(visitors, query, { ip: "203.0.113.9", requests: RATE_LIMIT_REQUESTS, concurrency: 10 }).then((verdicts) => {
    progress(`${verdicts.sent} page views from one address: ${verdicts.allowed} allowed, ${verdicts.refused} refused`);
    return verdicts;
  });
  await at(8);
  await wave("before the kill", false);

  await at(KILL_AT_SECONDS);
  await servers[KILLED].kill();
  killedServers.push(servers[KILLED]);
  timeline.killedAt = performance.now() - startedAt;
  progress(`instance ${KILLED} killed`);
  await wave("while an instance is down", true);

  await at(KILL_AT_SECONDS + DOWN_SECONDS);
  servers[KILLED] = await startInstance(Number(new URL(servers[KILLED].url).port));
  timeline.restartedAt = performance.now() - startedAt;
  progress(`instance ${KILLED} listening again`);
  const rotationDeadline = performance.now() + 60_000;
  while (!proxy!.up()[KILLED] && performance.now() < rotationDeadline) await sleep(100);
  if (proxy!.up()[KILLED]) timeline.backInRotationAt = performance.now() - startedAt;

  const endedHolders = ledger.holding();
  await endLeases(query, SITE.clientId);
  ledger.leasesEnded();
  await wave("after the leases ran out", false);
  const stillHeld = await Promise.all(endedHolders.map(([number, visitor]) => visitors.heartbeat(visitor, number, ipOf.get(visitor)!)));
  heartbeats.push(`after the leases ran out: ${stillHeld.filter((beat) => beat === true).length}/${endedHolders.length} held`);
  return { rateLimit: await rateLimitProbe, ledger, overlaps: await overlappingLeases(query, SITE.clientId), waves, heartbeats };
}

/** Waits until the database's clock is early in a minute, so the 130 requests from one address likely fall in one rate-limit window. */
async function earlyInAMinute(): Promise<void> {
  const [{ second }] = await query<{ second: number }>("select extract(second from now())::int as second");
  if (second > 25) await sleep((61 - second) * 1000);
}

// ---------------------------------------------------------------------------------------------
// The table

type Row = { measure: string; value: string; goal: string; pass?: boolean };

function printTable(rows: Row[]): void {
  const cells = rows.map((row) => [row.measure, row.value, row.goal, row.pass === undefined ? "" : row.pass ? "PASS" : "FAIL"]);
  const header = ["measure", "value", "goal", ""];
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((line) => line[column].length)));
  const format = (line: string[]) => `| ${line.map((cell, column) => cell.padEnd(widths[column])).join(" | ")} |`;
  console.log(format(header));
  console.log(`|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`);
  for (const line of cells) console.log(format(line));
}

function tableRows(traffic: PlayedTraffic, site: SiteReport, bases: BaseState[]): Row[] {
  const { webhooks, calls, texts, leads, pipelineRows, textBacks } = traffic;
  const perBase = bases.map((base) => ({ id: base.id, most: base.most, refused: base.refused429, requests: base.requests.length }));
  const duplicates = leads.duplicates + pipelineRows.duplicates + calls.duplicates + textBacks.duplicates;
  const lost = calls.lost + texts.lost + (leads.expected - leads.found) + pipelineRows.missing + textBacks.missing;
  const { rateLimit } = site;
  // Each request counted once at most, whichever instance took it, and each one answered counted;
  // in each minute never more allowed than the limit, never one within it refused; past the limit,
  // refusals. A request a busy database could not answer (503) gets no verdict and may or may not
  // be counted; when every one was answered, the verdicts are exactly the counts'.
  const verdictsRight =
    rateLimit.counted <= rateLimit.sent &&
    rateLimit.counted >= rateLimit.allowed + rateLimit.refused &&
    rateLimit.allowed <= rateLimit.expectedAllowed &&
    rateLimit.refused <= rateLimit.expectedRefused &&
    rateLimit.refused > 0 &&
    (rateLimit.unanswered > 0 || (rateLimit.allowed === rateLimit.expectedAllowed && rateLimit.refused === rateLimit.expectedRefused));
  const conflicts = site.ledger.conflicts + site.overlaps;
  return [
    {
      measure: "webhooks sent / answered",
      value: `${webhooks.sent} / ${webhooks.answered} (${webhooks.fallbacks} at the fallback URL, ${traffic.unanswered} unanswered there; slowest ${webhooks.slowestMs} ms)`,
      goal: "every call and text answered",
      pass: traffic.unanswered === 0,
    },
    { measure: "calls / texts sent", value: `${calls.sent} / ${texts.sent}`, goal: "" },
    { measure: "calls in Postgres", value: `${calls.logged} / ${calls.sent} (${calls.wrongOutcomes} wrong outcomes)`, goal: "all, right outcome", pass: calls.logged === calls.sent && calls.wrongOutcomes === 0 },
    { measure: "leads in Postgres / expected", value: `${leads.found} / ${leads.expected}`, goal: "equal", pass: leads.found === leads.expected },
    { measure: "pipeline rows / leads", value: `${pipelineRows.rows} / ${pipelineRows.expected}`, goal: "equal", pass: pipelineRows.rows === pipelineRows.expected },
    {
      measure: "duplicates (leads, pipeline rows, calls, text-backs)",
      value: `${duplicates} (${leads.duplicates}, ${pipelineRows.duplicates}, ${calls.duplicates}, ${textBacks.duplicates})`,
      goal: "0",
      pass: duplicates === 0,
    },
    {
      measure: "lost (calls, texts, leads, pipeline rows, text-backs)",
      value: `${lost} (${calls.lost}, ${texts.lost}, ${leads.expected - leads.found}, ${pipelineRows.missing}, ${textBacks.missing})`,
      goal: "0",
      pass: lost === 0,
    },
    {
      measure: "text-backs sent / due",
      value: `${textBacks.sent} / ${textBacks.due} (${textBacks.wrong} to answered callers)`,
      goal: "each once",
      pass: textBacks.sent === textBacks.due && textBacks.duplicates + textBacks.missing + textBacks.wrong === 0,
    },
    { measure: "Airtable 429s", value: perBase.map((base) => `${base.id} ${base.refused}`).join(", "), goal: "0", pass: perBase.every((base) => base.refused === 0) },
    {
      measure: "most Airtable requests in any rolling second",
      value: perBase.map((base) => `${base.id} ${base.most} (of ${base.requests})`).join(", "),
      goal: "≤ 5 per base",
      pass: perBase.every((base) => base.most <= 5),
    },
    {
      measure: "lease conflicts",
      value: `${conflicts} (${site.ledger.conflicts} told to two visitors, ${site.overlaps} overlapping in Postgres; ${site.ledger.leased} leases, ${site.ledger.fallbacks} fallbacks)`,
      goal: "0",
      pass: conflicts === 0,
    },
    {
      measure: "rate-limit verdicts",
      value: `${rateLimit.sent} from one address over ${rateLimit.instances} instances: ${rateLimit.allowed} allowed, ${rateLimit.refused} refused, ${rateLimit.unanswered} unanswered (Postgres counted ${rateLimit.counted}: ${rateLimit.expectedAllowed} / ${rateLimit.expectedRefused})`,
      goal: `counted once; ${TRACKING_REQUESTS_PER_MINUTE} allowed, the rest refused`,
      pass: verdictsRight,
    },
  ];
}

/** The requests in a base's busiest rolling second, when it had more than Airtable allows: what to look at first. */
function busiestSecond(base: BaseState): string | undefined {
  if (maxInAnyRollingSecond(base.requests.map((request) => request.at)) <= 5) return undefined;
  const requests = [...base.requests].sort((a, b) => a.at - b.at);
  let best = { start: 0, count: 0 };
  for (let start = 0, end = 0; end < requests.length; end++) {
    while (requests[end].at - requests[start].at >= 1000) start++;
    if (end - start + 1 > best.count) best = { start, count: end - start + 1 };
  }
  const window = requests.slice(best.start, best.start + best.count);
  const what = window.map((request) => `+${request.at - window[0].at} ms ${request.method} ${decodeURIComponent(request.url.split("?")[0].split("/").slice(3).join("/"))} → ${request.status ?? "…"}`);
  return `${base.id}'s busiest second: ${what.join("; ")}`;
}

/** BENCH_SCALE_LOGS=<dir> keeps every instance's and worker's output there. */
function keepLogs(): void {
  const dir = process.env.BENCH_SCALE_LOGS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  [...killedServers, ...servers].forEach((server, index) => writeFileSync(path.join(dir, `instance-${index}.log`), server.output()));
  workers.forEach((worker, index) => writeFileSync(path.join(dir, `worker-${index}.log`), worker.output()));
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const began = performance.now();
  console.log(`bench:scale – building (if stale) the production server into ${DIST_DIR}…`);
  ensureProductionBuild({ distDir: DIST_DIR });
  const built = performance.now();
  const watchdog = setTimeout(() => void bail(2, `bench:scale: gave up after ${GLOBAL_TIMEOUT_MS / 1000} s`, cleanUp), GLOBAL_TIMEOUT_MS);
  watchdog.unref();

  airtable = await startAirtableProcess({ token: AIRTABLE_TOKEN, baseId: AIRTABLE_BASE_ID, pipelineBaseIds: [AIRTABLE_BASE_ID, CLIENT_BASE_ID], configRows: configs });
  twilioStandIn = await serveStandIn(twilioApi.handle);
  await prepareDatabase();
  const ports = await Promise.all(Array.from({ length: INSTANCES }, freePort));
  servers.push(...(await Promise.all(ports.map(startInstance))));
  proxy = await startRoundRobinProxy(servers.map((server) => server.url));
  for (let i = 0; i < WORKERS; i += 1) workers.push(startScript("worker", [], { env: deployEnv() }));
  jobs.start();
  console.log(
    `bench:scale – ${INSTANCES} × next start (${servers.map((server) => server.url).join(", ")}) behind ${proxy.url}, ${WORKERS} × npm run worker, PostgreSQL ${DATABASE_NAME}; ` +
      `${CALLS} calls at ${RATE}/s; instance ${KILLED} killed at ${KILL_AT_SECONDS} s for ${DOWN_SECONDS} s; jobs every ${CRON_SECONDS} s`,
  );

  const player = new TwilioPlayer({
    serverUrl: () => proxy!.url,
    twilioApi,
    accountSid: TWILIO_ACCOUNT_SID,
    authToken: TWILIO_AUTH_TOKEN,
    publicBaseUrl: PUBLIC_BASE_URL,
    missedCallMaxSeconds: MISSED_CALL_MAX_SECONDS,
  });
  const lag = monitorEventLoopDelay({ resolution: 20 });
  lag.enable();
  await earlyInAMinute();
  const startedAt = performance.now();
  burstStartedAt = startedAt;
  const timeline: Timeline = {};
  const [, site] = await Promise.all([burst(player), besideTheBurst(startedAt, timeline)]);
  const burstEndedAt = Date.now();
  lag.disable();
  console.log(
    `burst done in ${((performance.now() - startedAt) / 1000).toFixed(0)} s; instance ${KILLED} killed at ${(timeline.killedAt! / 1000).toFixed(1)} s, ` +
      `listening again at ${(timeline.restartedAt! / 1000).toFixed(1)} s, ${timeline.backInRotationAt === undefined ? "not back in the proxy's rotation a minute later" : `back in the proxy's rotation at ${(timeline.backInRotationAt / 1000).toFixed(1)} s`}; ` +
      `this process's event-loop delay p99 ${(lag.percentile(99) / 1e6).toFixed(0)} ms, max ${(lag.max / 1e6).toFixed(0)} ms`,
  );
  console.log("settling: reconciliation once the last calls are two minutes old, then the outbox, due calls and text-backs…");
  const notes = await jobs.settle({ reconcileAfter: burstEndedAt, limitSeconds: SETTLE_LIMIT_SECONDS });
  const bases = await airtable.state();
  const traffic = await countPlayedTraffic(player, query, bases.flatMap((base) => base.rows), twilioApi.sent);

  console.log("");
  for (const line of [...notes, ...site.waves, ...site.heartbeats]) console.log(`  ${line}`);
  console.log(
    `  proxy: ${proxy.tallies.map((tally, index) => `instance ${index} answered ${tally.forwarded}, refused ${tally.refused} connections, died during ${tally.diedMidRequest}`).join("; ")}`,
  );
  for (const problem of traffic.problems) console.log(`  ${problem}`);
  for (const busiest of bases.map(busiestSecond)) if (busiest) console.log(`  ${busiest}`);
  keepLogs();
  console.log("");
  const rows = tableRows(traffic, site, bases);
  printTable(rows);
  const complaints = [...killedServers, ...servers].flatMap((server) => server.output().split("\n")).filter((line) => /error|fail/i.test(line));
  console.log(
    `\nserver logs: ${complaints.length} error lines${complaints.length ? `, first: ${complaints.slice(0, 3).join(" | ")}` : ""}; ` +
      `took ${((performance.now() - began) / 1000).toFixed(0)} s (build ${((built - began) / 1000).toFixed(0)} s)`,
  );
  const passed = rows.every((row) => row.pass !== false);
  console.log(passed ? "bench:scale PASS" : "bench:scale FAIL");
  return passed ? 0 : 1;
}

await runBench("bench:scale", main, cleanUp);
