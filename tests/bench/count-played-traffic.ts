// What became of the calls and texts a TwilioPlayer sent, for the fault suite and bench:scale: read
// from Postgres, the Lead Pipeline rows in the Airtable stand-in and the texts the Twilio stand-in
// took, against what must be true (lib is never asked).
import { PIPELINE_FIELDS as F } from "../../lib/airtable/pipeline-fields";
import type { AirtableRow } from "../support/stand-ins/airtable-api";
import type { SentMessage } from "../support/stand-ins/twilio-api";
import type { CallTruth, TwilioPlayer } from "../support/twilio-player";

export type Query = <T extends Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<T[]>;

export type PlayedTraffic = {
  webhooks: { sent: number; answered: number; fallbacks: number; slowestMs: number };
  /** Voice and SMS webhooks not answered with the right TwiML, at the fallback URL either. */
  unanswered: number;
  /** Calls sent, in Postgres, missing from it, logged beyond those sent, and recorded with the wrong outcome. */
  calls: { sent: number; logged: number; lost: number; duplicates: number; wrongOutcomes: number };
  texts: { sent: number; lost: number };
  leads: { expected: number; found: number; duplicates: number };
  pipelineRows: { expected: number; rows: number; missing: number; duplicates: number };
  /** Text-backs counted per client and caller: one owed for a caller's missed calls to a client, at most one a day. */
  textBacks: { due: number; sent: number; wrong: number; duplicates: number; missing: number };
  problems: string[];
};

/**
 * Counts one player's traffic. `pipelineRows` are the Lead Pipeline rows of every base its clients
 * deliver to; `sentTexts` every text the Twilio stand-in took (other players' are left out).
 */
export async function countPlayedTraffic(player: TwilioPlayer, query: Query, pipelineRows: AirtableRow[], sentTexts: SentMessage[]): Promise<PlayedTraffic> {
  const problems: string[] = [];
  const note = (text: string) => problems.length < 8 && problems.push(text);
  const callSids = [...player.calls.keys()];
  const messageSids = [...player.texts.keys()];
  const keys = [...player.leadKeys()];
  const callers = [...new Set([...player.calls.values(), ...player.texts.values()].map((contact) => contact.caller))];
  const trackingNumbers = [...new Set([...player.calls.values(), ...player.texts.values()].map((contact) => contact.client.trackingNumber))];

  const callRows = await query<{ call_sid: string; outcome: string | null }>(
    "select call_sid, outcome from public.calls where caller = any($1) and tracking_number = any($2)",
    [callers, trackingNumbers],
  );
  const loggedCalls = new Map(callRows.filter((row) => player.calls.has(row.call_sid)).map((row) => [row.call_sid, row.outcome]));
  const loggedTexts = new Set((await query<{ message_sid: string }>("select message_sid from public.messages where message_sid = any($1)", [messageSids])).map((row) => row.message_sid));
  const leadRows = await query<{ lead_key: string; client_id: string; caller: string }>(
    "select lead_key, client_id, caller from public.leads where caller = any($1)",
    [callers],
  );
  const expectedKeys = new Set(keys);
  const leadsPerContact = countBy(leadRows.filter((row) => expectedKeys.has(`${row.client_id}:${row.caller}`)).map((row) => `${row.client_id}:${row.caller}`));

  const calls = { sent: player.calls.size, logged: loggedCalls.size, lost: 0, duplicates: callRows.length - loggedCalls.size, wrongOutcomes: 0 };
  for (const [callSid, truth] of player.calls) {
    if (!loggedCalls.has(callSid)) {
      calls.lost += 1;
      note(`call ${callSid} (${truth.outcome}) is not in Postgres`);
      continue;
    }
    const outcome = loggedCalls.get(callSid);
    if (outcome !== (truth.missed ? "missed" : "answered")) {
      calls.wrongOutcomes += 1;
      note(`call ${callSid} was ${truth.outcome} but is recorded ${outcome ?? "without an outcome"}`);
    }
  }
  if (calls.duplicates > 0) note(`${calls.duplicates} call rows for these callers have a CallSid Twilio never sent`);
  const texts = { sent: player.texts.size, lost: 0 };
  for (const messageSid of messageSids) {
    if (loggedTexts.has(messageSid)) continue;
    texts.lost += 1;
    note(`text ${messageSid} is not in Postgres`);
  }

  const leads = { expected: keys.length, found: leadsPerContact.size, duplicates: 0 };
  for (const [key, count] of leadsPerContact) {
    if (count > 1) {
      leads.duplicates += count - 1;
      note(`${key} has ${count} leads`);
    }
  }

  const rows = pipelineRows.filter((row) => expectedKeys.has(String(row.fields[F.leadKey])));
  const rowsPerKey = countBy(rows.map((row) => String(row.fields[F.leadKey])));
  const pipeline = { expected: keys.length, rows: rows.length, missing: 0, duplicates: 0 };
  for (const key of keys) {
    const count = rowsPerKey.get(key) ?? 0;
    if (count === 0) {
      pipeline.missing += 1;
      note(`lead ${key} has no pipeline row`);
    }
    if (count > 1) {
      pipeline.duplicates += count - 1;
      note(`lead ${key} has ${count} pipeline rows`);
    }
  }

  const clientOf = new Map([...player.calls.values()].map((call) => [call.client.trackingNumber, call.client.id]));
  const sentPerContact = countBy(sentTexts.map((message) => `${clientOf.get(message.from ?? "")}|${message.to}`));
  const callsPerContact = Map.groupBy(player.calls.values(), (call: CallTruth) => `${call.client.id}|${call.caller}`);
  const textBacks = { due: 0, sent: 0, wrong: 0, duplicates: 0, missing: 0 };
  for (const [contact, contactCalls] of callsPerContact) {
    const caller = contactCalls[0].caller;
    const sent = sentPerContact.get(contact) ?? 0;
    const owed = contactCalls.some((call) => call.textOwed) ? 1 : 0;
    textBacks.due += owed;
    textBacks.sent += sent;
    if (contactCalls.every((call) => !call.missed) && sent > 0) {
      textBacks.wrong += sent;
      note(`${caller} was answered and got ${sent} text-back(s)`);
    } else if (sent > owed && !player.optedOut.has(caller)) {
      textBacks.duplicates += sent - owed;
      note(`${caller} got ${sent} text-backs for missed calls to ${contactCalls[0].client.id}`);
    } else if (sent < owed) {
      textBacks.missing += owed - sent;
      note(`${caller} was missed and never got the text-back`);
    }
  }

  const answered = player.webhooks.filter((webhook) => webhook.ok).length;
  for (const webhook of player.webhooks.filter((w) => !w.ok).slice(0, 3)) note(webhook.problem ?? "webhook failed");
  return {
    webhooks: {
      sent: player.webhooks.length,
      answered,
      fallbacks: player.webhooks.filter((webhook) => webhook.fallback).length,
      slowestMs: Math.round(Math.max(0, ...player.webhooks.map((webhook) => webhook.ms))),
    },
    // A voice or SMS webhook's last try is its fallback when the first failed, else the first.
    unanswered: player.webhooks.filter((w) => (w.kind === "voice" || w.kind === "sms") && !w.ok && (w.fallback || !w.failed)).length,
    calls,
    texts,
    leads,
    pipelineRows: pipeline,
    textBacks,
    problems,
  };
}

function countBy(values: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}
