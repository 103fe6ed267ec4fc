import type { Database, Queryable } from "../db/database";
import type { UsageKind } from "../usage/record-usage";
import type { LoggedCall, TwilioLogs } from "./list-twilio-logs";

/** What Twilio's record of a call leg or message says it charged, with its own seconds or segments. */
export type TwilioCharge = { sid: string; price?: string; priceUnit?: string; quantity?: number };

type LoggedEntry = { kind: UsageKind; direction: "inbound" | "outbound"; sid: string; quantity: number; trackingNumber: string; occurredAt: Date };

/**
 * The ledger's part of a reconcile run, from the logs it already read (no request of its own).
 * Adds the entry of every ended call leg and every text of a client's tracking number that the
 * webhooks did not record: a relay whose status callbacks were lost, the one-line answers to a
 * client's own texts, a text-back whose write was lost. Such an entry goes to the client that holds
 * the number now (or last did). Then gives each unpriced entry Twilio has priced its price, and
 * Twilio's own seconds or segments. Returns how many entries were added and how many priced.
 */
export async function reconcileUsage(db: Database, logs: TwilioLogs, hasEnded: (call: LoggedCall) => boolean): Promise<{ added: number; priced: number }> {
  const entries = [...callEntries(logs.calls, hasEnded), ...messageEntries(logs.messages)];
  const added = await db.query(
    `insert into public.usage_events (client_id, kind, direction, quantity, twilio_sid, tracking_number, occurred_at)
     select t.client_id, e.kind, e.direction, e.quantity, e.twilio_sid, e.tracking_number, e.occurred_at
       from unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::timestamptz[])
              as e(kind, direction, twilio_sid, quantity, tracking_number, occurred_at)
       join public.tracking_numbers t on t.phone_number = e.tracking_number
      where not exists (select 1 from public.usage_events u where u.twilio_sid = e.twilio_sid)
     on conflict (twilio_sid, kind) do nothing
     returning 1`,
    [
      entries.map((entry) => entry.kind),
      entries.map((entry) => entry.direction),
      entries.map((entry) => entry.sid),
      entries.map((entry) => entry.quantity),
      entries.map((entry) => entry.trackingNumber),
      entries.map((entry) => entry.occurredAt.toISOString()),
    ],
  );
  const charges: TwilioCharge[] = [
    ...logs.calls.map((call) => ({ sid: call.sid, price: call.price, priceUnit: call.priceUnit, quantity: call.duration })),
    ...logs.messages.map((message) => ({ sid: message.sid, price: message.price, priceUnit: message.priceUnit, quantity: message.numSegments })),
  ];
  return { added: added.length, priced: await applyTwilioCharges(db, charges) };
}

/**
 * Fills the price of each unpriced entry Twilio has priced, once: a late price fills in the same
 * entry. Twilio's seconds or segments replace ours then (an MMS stays one message). Returns how
 * many entries were priced.
 */
export async function applyTwilioCharges(db: Queryable, charges: TwilioCharge[]): Promise<number> {
  const priced = charges.filter((charge) => charge.price !== undefined && charge.priceUnit !== undefined);
  if (priced.length === 0) return 0;
  const rows = await db.query(
    `update public.usage_events u
        set price = c.price, price_unit = c.price_unit, priced_at = now(),
            quantity = case when u.kind = 'mms_messages' or c.quantity is null then u.quantity else c.quantity end
       from unnest($1::text[], $2::numeric[], $3::text[], $4::int[]) as c(twilio_sid, price, price_unit, quantity)
      where u.twilio_sid = c.twilio_sid and u.price is null
      returning 1`,
    [
      priced.map((charge) => charge.sid),
      priced.map((charge) => charge.price),
      priced.map((charge) => charge.priceUnit),
      priced.map((charge) => (charge.quantity ? charge.quantity : null)),
    ],
  );
  return rows.length;
}

// A forwarded call is two legs, both the client's whose number was called, both counted in the
// month the call began.
function callEntries(calls: TwilioLogs["calls"], hasEnded: (call: LoggedCall) => boolean): LoggedEntry[] {
  const parents = new Map(calls.filter((call) => call.direction === "inbound" && !call.parentCallSid).map((call) => [call.sid, call]));
  return calls.flatMap((call) => {
    const parent = call.parentCallSid ? parents.get(call.parentCallSid) : parents.get(call.sid);
    if (!parent || !call.duration || !hasEnded(call)) return [];
    const direction = call === parent ? "inbound" : "outbound";
    return [{ kind: "call_seconds", direction, sid: call.sid, quantity: call.duration, trackingNumber: parent.to, occurredAt: parent.startTime }];
  });
}

function messageEntries(messages: TwilioLogs["messages"]): LoggedEntry[] {
  return messages.map((message) => {
    const inbound = message.direction === "inbound";
    const mms = Boolean(message.numMedia);
    return {
      kind: mms ? "mms_messages" : "sms_segments",
      direction: inbound ? "inbound" : "outbound",
      sid: message.sid,
      quantity: mms ? 1 : message.numSegments || 1,
      trackingNumber: inbound ? message.to : message.from,
      occurredAt: message.sentAt,
    };
  });
}
