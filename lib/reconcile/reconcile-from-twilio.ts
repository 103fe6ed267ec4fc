import type { Database } from "../db/database";
import { getDatabase } from "../db/get-database";
import { serverEnv } from "../env";
import { sendMissedCallText } from "../calls/send-missed-call-text";
import { readTrackingNumberSnapshot } from "../config/tracking-number-snapshot";
import type { TrackingNumberConfig } from "../config/tracking-number-config";
import { twilioRestClient, type TwilioRestClient } from "../twilio/twilio-rest-client";
import { accrueNumberDays } from "../usage/accrue-number-days";
import { awaitsOutcome, backfillCall, type EndedCall } from "./backfill-call";
import { fetchMissingPrices } from "./fetch-missing-prices";
import { backfillMessage } from "./backfill-message";
import { listMessageMedia, listTwilioLogs, type LoggedCall, type TwilioLogs } from "./list-twilio-logs";
import { emptyReconcileCounts, finishReconcileRun, startReconcileRun, type ReconcileCounts } from "./reconcile-runs";
import { reconcileUsage } from "./reconcile-usage";

// A call that ended this recently may still have its <Dial> action or status callback on the way,
// and Twilio's log may not show the forwarded leg yet: the next run settles it.
const SETTLE_AFTER_MS = 2 * 60_000;
const ENDED_STATUSES = new Set(["completed", "busy", "failed", "no-answer", "canceled"]);

export type ReconcileReport = { window: { from: string; to: string }; counts: ReconcileCounts } | { skipped: string };

/**
 * Reads Twilio's call and message logs for the last `sinceMs` and writes what Postgres lacks: the
 * rows a process that died after answering, or a database outage, never wrote. Texts go first, so
 * a STOP that was lost is in place before any missed call is texted. Then the usage ledger: the
 * entries the webhooks missed, Twilio's prices (both legs of each call, texts both ways), and the
 * days each tracking number was held. Running it again changes nothing. Each run, failed or not,
 * is kept for health.
 */
export async function reconcileFromTwilio(options: { sinceMs: number }): Promise<ReconcileReport> {
  const client = twilioRestClient(serverEnv().twilio);
  if (!client) return { skipped: "TWILIO_ACCOUNT_SID is not set, so there are no Twilio logs to reconcile" };

  const db = await getDatabase();
  const end = new Date();
  const window = { start: new Date(end.getTime() - options.sinceMs), end };
  const runId = await startReconcileRun(db, window);
  const counts = emptyReconcileCounts();
  try {
    counts.numberDays += await accrueNumberDays(db, end);
    const logs = await listTwilioLogs(client, window);
    counts.skipped += logs.unreadable;
    const configOf = snapshotReader(db);
    await reconcileMessages(db, client, logs.messages, configOf, counts);
    await reconcileCalls(db, logs.calls, configOf, counts);
    const usage = await reconcileUsage(db, logs, (call) => hasEnded(call, new Date()));
    counts.usageAdded += usage.added;
    counts.pricesFilled += usage.priced + (await fetchMissingPrices(db, client, window.start));
  } catch (error) {
    await finishReconcileRun(db, runId, counts, (error as Error).message);
    throw error;
  }
  await finishReconcileRun(db, runId, counts);
  return { window: { from: window.start.toISOString(), to: window.end.toISOString() }, counts };
}

type ConfigReader = (trackingNumber: string) => Promise<TrackingNumberConfig | undefined>;

/** The routing config as it is now (a number moved to another client counts for the new one); undefined when inactive. */
function snapshotReader(db: Database): ConfigReader {
  const seen = new Map<string, Promise<TrackingNumberConfig | undefined>>();
  return (trackingNumber) => {
    let config = seen.get(trackingNumber);
    if (!config) {
      config = readTrackingNumberSnapshot(db, trackingNumber).then((found) => (found?.active ? found : undefined));
      seen.set(trackingNumber, config);
    }
    return config;
  };
}

async function reconcileMessages(db: Database, client: TwilioRestClient, messages: TwilioLogs["messages"], configOf: ConfigReader, counts: ReconcileCounts) {
  const inbound = messages.filter((message) => message.direction === "inbound");
  counts.textsSeen += inbound.length;
  const logged = await loggedMessages(db, inbound);
  for (const message of inbound) {
    const config = await configOf(message.to);
    // A text from the client's own mobile is the client replying through the tracking number, not a lead.
    if (!config || message.from === config.smsForwardNumber) {
      counts.skipped += 1;
      continue;
    }
    if (logged.has(message.sid)) continue;
    const media = message.numMedia ? await listMessageMedia(client, message.sid) : [];
    if (await db.transaction((tx) => backfillMessage(tx, config, message, media))) counts.textsBackfilled += 1;
  }
}

async function reconcileCalls(db: Database, calls: TwilioLogs["calls"], configOf: ConfigReader, counts: ReconcileCounts) {
  const inbound = calls.filter((call) => call.direction === "inbound");
  const legsOf = Map.groupBy(
    calls.filter((call) => call.parentCallSid),
    (call) => call.parentCallSid,
  );
  counts.callsSeen += inbound.length;
  const logged = await loggedCalls(db, inbound);
  const now = new Date();
  const textBacks: string[] = [];
  for (const parent of inbound) {
    const config = await configOf(parent.to);
    if (!config || !hasEnded(parent, now)) {
      counts.skipped += 1;
      continue;
    }
    // One <Number> makes one leg; should there be more, the one that was answered is the outcome.
    const legs = legsOf.get(parent.sid) ?? [];
    const dialed = legs.find((leg) => leg.status === "completed") ?? legs.at(-1);
    const known = logged.get(parent.sid);
    if (known && !awaitsOutcome(known, dialed)) continue;
    const result = await db.transaction((tx) => backfillCall(tx, config, parent, dialed, now));
    if (result.backfilled) counts.callsBackfilled += 1;
    if (result.settled) counts.outcomesSettled += 1;
    if (result.tooLateToText) counts.textBacksTooLate += 1;
    if (result.textQueued) textBacks.push(parent.sid);
  }
  // Sent together once every call is settled, so a backlog after an outage fits in a cron run; a
  // run cut short leaves them pending, for the follow-ups' sweep.
  const sent = await Promise.all(textBacks.map((callSid) => sendTextBack(db, callSid)));
  counts.textBacksSent += sent.filter(Boolean).length;
}

function hasEnded(call: LoggedCall, now: Date): call is EndedCall {
  return ENDED_STATUSES.has(call.status) && call.endTime !== undefined && now.getTime() - call.endTime.getTime() >= SETTLE_AFTER_MS;
}

async function loggedMessages(db: Database, messages: { sid: string }[]): Promise<Set<string>> {
  const rows = await db.query<{ message_sid: string }>("select message_sid from public.messages where message_sid = any($1::text[])", [
    messages.map((message) => message.sid),
  ]);
  return new Set(rows.map((row) => row.message_sid));
}

async function loggedCalls(db: Database, calls: { sid: string }[]) {
  const rows = await db.query<{ call_sid: string; outcome: string | null; missed_reason: string | null }>(
    "select call_sid, outcome, missed_reason from public.calls where call_sid = any($1::text[])",
    [calls.map((call) => call.sid)],
  );
  return new Map(rows.map((row) => [row.call_sid, row]));
}

/** Sends a queued text-back; whether Twilio took it. */
async function sendTextBack(db: Database, callSid: string): Promise<boolean> {
  await sendMissedCallText(callSid);
  const [textBack] = await db.query<{ status: string }>("select status from internal.text_backs where call_sid = $1", [callSid]);
  return textBack?.status === "sent";
}
