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
// duplicates (pipeline rows or text-backs beyond one), lost (calls or texts missing from Postgres,
// leads missing from the pipeline, text-backs owed but never sent) and wrong outcomes. Exits 1
// unless every webhook was answered and lost, duplicates, wrong texts and wrong outcomes are all 0.
//
// The scheduled jobs run every FAULTS_CRON_SECONDS (10; production: every minute) so the suite
// finishes in minutes. Knobs: FAULTS_SCENARIOS (comma-separated names as above), FAULTS_RATE
// (webhook events per second in a stream, 2), FAULTS_OUTAGE_SECONDS, FAULTS_POSTGRES_URL.
import { randomBytes, randomInt } from "node:crypto";
import { performance } from "node:perf_hooks";
import pg from "pg";
import twilio from "twilio";
import { PIPELINE_FIELDS as F } from "../../lib/airtable/pipeline-fields";
import type { TrackingNumberConfig } from "../../lib/config/tracking-number-config";
import { adminQuery, cleanupStep, databaseUrlFor, numberFrom, prepareThrowAwayDatabase, runBench, sleep } from "../bench/bench-harness";
import { startDatabaseFaultProxy, type DatabaseFaultProxy } from "../support/database-fault-proxy";
import { CLIENT_CONFIGURATION_FIELDS, CLIENT_CONFIGURATION_TABLE, configureTrackingNumber } from "../support/configure-tracking-number";
import { LEAD_PIPELINE_FIELDS, LEAD_PIPELINE_TABLE } from "../support/lead-pipeline-table";
import { ensureProductionBuild, startNextServer, type RunningServer } from "../support/next-server";
import { airtableApiStandIn } from "../support/stand-ins/airtable-api";
import { serveStandIn, type RunningStandIn } from "../support/stand-ins/serve-stand-in";
import { twilioApiStandIn, type CallLogEntry } from "../support/stand-ins/twilio-api";
import { sid, toForm, type Params } from "../support/twilio-webhook";

const RATE = numberFrom("FAULTS_RATE", 2);
const OUTAGE_SECONDS = numberFrom("FAULTS_OUTAGE_SECONDS", 30);
const CRON_SECONDS = numberFrom("FAULTS_CRON_SECONDS", 10);
const SETTLE_SECONDS = 240;
const TWILIO_TIMEOUT_MS = 15_000;

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

type Client = { id: string; name: string; trackingNumber: string; primary: string; mobile: string };
const clients: Client[] = Array.from({ length: 6 }, (_, i) => ({
  id: `faults-client-${i + 1}`,
  name: `Faults Client ${i + 1}`,
  trackingNumber: `+1512555${String(2000 + i)}`,
  primary: `+1214555${String(2000 + i)}`,
  mobile: `+1469555${String(2000 + i)}`,
}));
const MISSED_CALL_MAX_SECONDS = 15;

let callerSerial = 0;
/** A caller never used before, so each call's text-back (or its absence) is its own. */
const newCaller = () => `+1737${3_000_000 + callerSerial++}`;
const pick = <T>(items: T[]): T => items[randomInt(items.length)];

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
let cronTimer: NodeJS.Timeout | undefined;
let cleaning: Promise<void> | undefined;

const databaseUrl = () => databaseUrlFor(POSTGRES_URL, DATABASE_NAME);

function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    clearInterval(cronTimer);
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
    for (const client of clients) {
      const config: TrackingNumberConfig = {
        trackingNumber: client.trackingNumber,
        clientId: client.id,
        clientName: client.name,
        primaryNumber: client.primary,
        smsForwardNumber: client.mobile,
        textBackEnabled: true,
        textBackMessage: `Sorry we missed your call at ${client.name}!`,
        numberType: "Source",
        source: "Google Ads",
        ringTimeoutSeconds: 20,
        missedCallMaxSeconds: MISSED_CALL_MAX_SECONDS,
        voicemailEnabled: true,
        showTrackingNumber: false,
        active: true,
      };
      await configureTrackingNumber(db, airtable, config);
    }
  });
}

const query = async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> => {
  observer ??= new pg.Pool({ connectionString: databaseUrl(), max: 2, connectionTimeoutMillis: 10_000 });
  return (await observer.query<T>(sql, params)).rows;
};

async function runJob(path: string): Promise<{ status: number; body: string }> {
  try {
    const response = await fetch(`${server!.url}${path}`, { headers: { authorization: `Bearer ${CRON_SECRET}` }, signal: AbortSignal.timeout(120_000) });
    return { status: response.status, body: (await response.text()).slice(0, 300) };
  } catch (error) {
    return { status: 0, body: (error as Error).message };
  }
}

/** What Vercel Cron does in production, more often: the floor under every after() speed-up. */
function startCron(): void {
  cronTimer = setInterval(() => {
    void runJob("/api/cron/outbox");
    void runJob("/api/cron/follow-ups");
  }, CRON_SECONDS * 1000);
  cronTimer.unref();
}

// ---------------------------------------------------------------------------------------------
// Playing Twilio

type Webhook = { kind: "voice" | "dial" | "status" | "sms"; ok: boolean; problem?: string; ms: number };

const VALID_TWIML = /^<\?xml version="1\.0" encoding="UTF-8"\?>(<Response\/>|<Response>[\s\S]*<\/Response>)$/;
const EXPECTED_VERB: Record<Webhook["kind"], RegExp | undefined> = { voice: /<Dial[ >]/, sms: /<Message[ >]/, dial: undefined, status: undefined };

async function postWebhook(kind: Webhook["kind"], path: string, params: Params): Promise<Webhook> {
  const signature = twilio.getExpectedTwilioSignature(TWILIO_AUTH_TOKEN, PUBLIC_BASE_URL + path, params);
  const started = performance.now();
  try {
    const response = await fetch(`${server!.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature },
      body: toForm(params).toString(),
      signal: AbortSignal.timeout(TWILIO_TIMEOUT_MS),
    });
    const body = await response.text();
    const verb = EXPECTED_VERB[kind];
    const ok = response.status === 200 && (response.headers.get("content-type") ?? "").startsWith("text/xml") && VALID_TWIML.test(body) && (!verb || verb.test(body));
    return { kind, ok, ms: performance.now() - started, problem: ok ? undefined : `${kind} ${response.status}: ${body.slice(0, 160)}` };
  } catch (error) {
    return { kind, ok: false, ms: performance.now() - started, problem: `${kind}: ${(error as Error).message}` };
  }
}

type CallOutcome = "answered" | "no-answer" | "busy" | "short" | "abandoned";
type CallTruth = { client: Client; caller: string; outcome: CallOutcome; missed: boolean; textOwed: boolean };
type Delivery = "in-order" | "together" | "twice-out-of-order";

/** What one scenario sent and what must be true afterwards. */
class Scenario {
  readonly calls = new Map<string, CallTruth>();
  readonly texts = new Map<string, { client: Client; caller: string }>();
  readonly webhooks: Webhook[] = [];
  /** Callers Twilio refuses to text (21610): nothing is owed to them. */
  readonly optedOut = new Set<string>();
  constructor(readonly name: string) {}

  leadKeys(): Set<string> {
    const keys = new Set<string>();
    for (const call of this.calls.values()) keys.add(`${call.client.id}:${call.caller}`);
    for (const text of this.texts.values()) keys.add(`${text.client.id}:${text.caller}`);
    return keys;
  }

  private async send(kind: Webhook["kind"], path: string, params: Params): Promise<void> {
    this.webhooks.push(await postWebhook(kind, path, params));
  }

  /** A call as Twilio plays it: the voice webhook, a ring, then the dial action and the parent's status callback. */
  async call(client: Client, outcome: CallOutcome, delivery: Delivery = "in-order", caller = newCaller()): Promise<void> {
    const callSid = sid("CA");
    const childSid = sid("CA");
    const missed = outcome !== "answered";
    this.calls.set(callSid, { client, caller, outcome, missed, textOwed: missed && !this.optedOut.has(caller) });
    const base = { AccountSid: TWILIO_ACCOUNT_SID, ApiVersion: "2010-04-01", CallSid: callSid, From: caller, To: client.trackingNumber, Direction: "inbound" };
    const voice = () => this.send("voice", "/api/twilio/voice", { ...base, CallStatus: "ringing" });
    if (delivery === "twice-out-of-order") await Promise.all([voice(), voice()]);
    else await voice();

    const ringSeconds = randomInt(3, 15);
    const talkSeconds = outcome === "answered" ? randomInt(MISSED_CALL_MAX_SECONDS + 5, 300) : outcome === "short" ? randomInt(1, MISSED_CALL_MAX_SECONDS) : 0;
    await sleep(randomInt(200, 1200));
    const child = CHILD_LEG[outcome];
    const dial = {
      ...base,
      CallStatus: "in-progress",
      DialCallSid: childSid,
      DialCallStatus: child.status,
      DialBridged: String(child.bridged),
      ...(talkSeconds > 0 ? { DialCallDuration: String(talkSeconds) } : {}),
    };
    const status = { ...base, CallStatus: "completed", CallDuration: String(ringSeconds + talkSeconds), Duration: String(Math.ceil((ringSeconds + talkSeconds) / 60)) };
    // The call has ended by the time Twilio sends its last callbacks, and its log already holds both
    // legs, dated back from then.
    const endedAt = new Date();
    const startedAt = new Date(endedAt.getTime() - (ringSeconds + talkSeconds) * 1000);
    twilioApi.addCall({
      sid: callSid,
      from: caller,
      to: client.trackingNumber,
      direction: "inbound",
      status: "completed",
      startTime: startedAt,
      endTime: endedAt,
      duration: ringSeconds + talkSeconds,
    });
    twilioApi.addCall({
      sid: childSid,
      parentCallSid: callSid,
      from: caller,
      to: client.primary,
      direction: "outbound-dial",
      status: child.status,
      startTime: new Date(endedAt.getTime() - talkSeconds * 1000),
      endTime: endedAt,
      duration: talkSeconds,
    });
    const sendDial = () => this.send("dial", "/api/twilio/status?event=dial", dial);
    const sendStatus = () => this.send("status", "/api/twilio/status", status);
    // A caller who hangs up while the business phone rings may leave no dial outcome at all.
    const callbacks = outcome === "abandoned" ? [sendStatus] : [sendDial, sendStatus];
    if (delivery === "in-order") for (const callback of callbacks) await callback();
    else if (delivery === "together") await Promise.all(callbacks.map((callback) => callback()));
    else for (const callback of shuffled([...callbacks, ...callbacks])) await callback();
  }

  /** A lead texts a tracking number. */
  async text(client: Client, caller: string, delivery: Delivery = "in-order"): Promise<void> {
    const messageSid = sid("SM");
    this.texts.set(messageSid, { client, caller });
    const params = { AccountSid: TWILIO_ACCOUNT_SID, MessageSid: messageSid, From: caller, To: client.trackingNumber, Body: `Hi, this is ${caller}`, NumMedia: "0", NumSegments: "1" };
    const sendText = () => this.send("sms", "/api/twilio/sms", params);
    if (delivery === "in-order") await sendText();
    else await Promise.all([sendText(), sendText()]);
    twilioApi.addMessage({ sid: messageSid, from: caller, to: client.trackingNumber, body: params.Body, direction: "inbound", dateSent: new Date() });
  }

  /**
   * Calls and texts at `rate` a second for `seconds`, open loop: each leaves at its own time
   * whether or not earlier ones have been answered. `onSecond` runs once a second (faults switch).
   */
  async stream(seconds: number, onSecond: (second: number) => Promise<void> | void = () => {}): Promise<void> {
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
        const known = [...this.calls.values()].filter((call) => call.client === client);
        inFlight.push(this.text(client, known.length > 0 && randomInt(2) === 0 ? pick(known).caller : newCaller()));
      } else {
        inFlight.push(this.call(client, pick<CallOutcome>(["answered", "answered", "answered", "no-answer", "busy", "short", "abandoned"])));
      }
    }
    while (second < seconds) await onSecond(++second);
    await Promise.all(inFlight);
  }
}

const CHILD_LEG: Record<CallOutcome, { status: CallLogEntry["status"]; bridged: boolean }> = {
  answered: { status: "completed", bridged: true },
  short: { status: "completed", bridged: true },
  "no-answer": { status: "no-answer", bridged: false },
  busy: { status: "busy", bridged: false },
  abandoned: { status: "canceled", bridged: false },
};

function shuffled<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = randomInt(i + 1);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

// ---------------------------------------------------------------------------------------------
// Settling and counting

// Reconciliation leaves calls that ended within the last 2 minutes to their own callbacks.
const RECONCILE_SETTLE_MS = 2 * 60_000 + 5_000;

/**
 * Lets the system finish what it owes: reconciliation (when asked, once every call of the fault
 * is old enough for it), due missed calls, text-backs, the pipeline.
 */
async function settle(options: { reconcileAfter?: number }): Promise<string[]> {
  const notes: string[] = [];
  if (options.reconcileAfter !== undefined) {
    await sleep(Math.max(0, options.reconcileAfter + RECONCILE_SETTLE_MS - Date.now()));
    const reconciled = await runJob("/api/cron/reconcile");
    notes.push(`reconcile ${reconciled.status}: ${reconciled.body}`);
  }
  const stopAt = performance.now() + SETTLE_SECONDS * 1000;
  for (;;) {
    const [open] = await query<{ outbox: number; text_backs: number; due_calls: number }>(
      `select (select count(*)::int from internal.outbox where status = 'pending') as outbox,
              (select count(*)::int from internal.text_backs where status in ('pending', 'sending')) as text_backs,
              (select count(*)::int from public.calls where outcome is null and outcome_due_at is not null) as due_calls`,
    );
    if (open.outbox + open.text_backs + open.due_calls === 0) break;
    if (performance.now() > stopAt) {
      notes.push(`still open after ${SETTLE_SECONDS} s: ${JSON.stringify(open)}`);
      break;
    }
    await sleep(1000);
  }
  return notes;
}

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

async function tally(scenario: Scenario): Promise<Tally> {
  const problems: string[] = [];
  const note = (text: string) => problems.length < 8 && problems.push(text);
  const callSids = [...scenario.calls.keys()];
  const messageSids = [...scenario.texts.keys()];
  const keys = [...scenario.leadKeys()];

  const loggedCalls = new Map(
    (await query<{ call_sid: string; outcome: string | null }>("select call_sid, outcome from public.calls where call_sid = any($1)", [callSids])).map((row) => [row.call_sid, row.outcome]),
  );
  const loggedTexts = new Set((await query<{ message_sid: string }>("select message_sid from public.messages where message_sid = any($1)", [messageSids])).map((row) => row.message_sid));
  const leads = new Set((await query<{ lead_key: string }>("select lead_key from public.leads where lead_key = any($1)", [keys])).map((row) => row.lead_key));

  let lost = 0;
  let wrongOutcomes = 0;
  for (const [callSid, truth] of scenario.calls) {
    if (!loggedCalls.has(callSid)) {
      lost += 1;
      note(`call ${callSid} (${truth.outcome}) is not in Postgres`);
      continue;
    }
    const outcome = loggedCalls.get(callSid);
    if (outcome !== (truth.missed ? "missed" : "answered")) {
      wrongOutcomes += 1;
      note(`call ${callSid} was ${truth.outcome} but is recorded ${outcome ?? "without an outcome"}`);
    }
  }
  for (const messageSid of messageSids) {
    if (loggedTexts.has(messageSid)) continue;
    lost += 1;
    note(`text ${messageSid} is not in Postgres`);
  }

  const rows = airtable.rows(LEAD_PIPELINE_TABLE).filter((row) => keys.includes(String(row.fields[F.leadKey])));
  const rowsByKey = new Map<string, number>();
  for (const row of rows) rowsByKey.set(String(row.fields[F.leadKey]), (rowsByKey.get(String(row.fields[F.leadKey])) ?? 0) + 1);
  let duplicates = 0;
  for (const key of keys) {
    const count = rowsByKey.get(key) ?? 0;
    if (count === 0) {
      lost += 1;
      note(`lead ${key} has no pipeline row`);
    }
    if (count > 1) {
      duplicates += count - 1;
      note(`lead ${key} has ${count} pipeline rows`);
    }
  }

  const textsTo = new Map<string, number>();
  for (const message of twilioApi.sent) textsTo.set(message.to, (textsTo.get(message.to) ?? 0) + 1);
  let wrongTexts = 0;
  const callsByCaller = new Map<string, CallTruth[]>();
  for (const call of scenario.calls.values()) callsByCaller.set(call.caller, [...(callsByCaller.get(call.caller) ?? []), call]);
  for (const [caller, calls] of callsByCaller) {
    const sent = textsTo.get(caller) ?? 0;
    const owed = calls.filter((call) => call.textOwed).length > 0 ? 1 : 0;
    if (calls.every((call) => !call.missed) && sent > 0) {
      wrongTexts += sent;
      note(`${caller} was answered and got ${sent} text-back(s)`);
    } else if (sent > owed && !scenario.optedOut.has(caller)) {
      duplicates += sent - owed;
      note(`${caller} got ${sent} text-backs for one missed call`);
    } else if (sent < owed) {
      lost += owed - sent;
      note(`${caller} was missed and never got the text-back`);
    }
  }

  const answered = scenario.webhooks.filter((webhook) => webhook.ok).length;
  for (const webhook of scenario.webhooks.filter((w) => !w.ok).slice(0, 3)) note(webhook.problem ?? "webhook failed");
  return {
    calls: scenario.calls.size,
    texts: scenario.texts.size,
    answered: `${answered}/${scenario.webhooks.length}`,
    slowestMs: Math.round(Math.max(0, ...scenario.webhooks.map((webhook) => webhook.ms))),
    leads: `${leads.size}/${keys.length}`,
    pipelineRows: `${rows.length}/${keys.length}`,
    wrongTexts,
    duplicates,
    lost,
    wrongOutcomes,
    allAnswered: answered === scenario.webhooks.length,
    problems,
  };
}

// ---------------------------------------------------------------------------------------------
// Scenarios

/** A scenario's run says when its database fault ended, if reconciliation must close it. */
type ScenarioRun = { name: string; key: string; run: (scenario: Scenario) => Promise<{ reconcileAfter?: number }> };

/** One call per client first, so every instance's memory holds the configs it will fall back on. */
async function warmUp(scenario: Scenario): Promise<void> {
  await Promise.all(clients.map((client) => scenario.call(client, "answered")));
}

function databaseOutage(mode: "refuse" | "hang"): ScenarioRun["run"] {
  return async (scenario) => {
    await warmUp(scenario);
    const startAt = 10;
    let endedAt = 0;
    await scenario.stream(startAt + OUTAGE_SECONDS + 10, async (second) => {
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
    await scenario.stream(startAt + seconds + 10, (second) => {
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

async function twilioTextFaults(scenario: Scenario): Promise<{ reconcileAfter?: number }> {
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

async function duplicatedOutOfOrder(scenario: Scenario): Promise<{ reconcileAfter?: number }> {
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

async function racedCallbacks(scenario: Scenario): Promise<{ reconcileAfter?: number }> {
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
  ensureProductionBuild();
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
    },
  });
  console.log(`faults: server ${server.url} (next start) on PostgreSQL ${DATABASE_NAME} through a fault proxy; ${clients.length} clients; jobs every ${CRON_SECONDS} s`);
  startCron();

  const results: { name: string; tally: Tally }[] = [];
  for (const entry of SCENARIOS.filter((s) => wanted.has(s.key))) {
    const scenario = new Scenario(entry.name);
    const started = performance.now();
    console.log(`\n${entry.name}…`);
    const notes = await settle(await entry.run(scenario));
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
