import type { Queryable } from "../db/database";

export type UsageKind = "call_seconds" | "sms_segments" | "mms_messages";

/**
 * One call leg or text as Twilio bills it: a call's parent leg is inbound and its forwarded <Dial>
 * leg outbound; a text is inbound when it reached a tracking number, outbound when one sent it.
 */
export type UsageEntry = {
  clientId: string;
  kind: UsageKind;
  direction: "inbound" | "outbound";
  /** Seconds of the leg, segments of an SMS, 1 for an MMS. */
  quantity: number;
  twilioSid: string;
  trackingNumber: string;
  /** When the call began or the text was sent: the month it counts in. */
  occurredAt: Date;
};

/** A call leg's entry, in seconds: the caller's own leg (inbound) or the one dialled to the client (outbound). */
export function callLegUsage(leg: Omit<UsageEntry, "kind" | "quantity" | "twilioSid"> & { callSid: string; seconds: number }): UsageEntry {
  const { callSid, seconds, ...entry } = leg;
  return { ...entry, kind: "call_seconds", quantity: seconds, twilioSid: callSid };
}

/** A text's entry: an MMS counts once (Twilio bills it per message), an SMS by its segments. */
export function textUsage(text: Omit<UsageEntry, "kind" | "quantity"> & { segments: number; hasMedia: boolean }): UsageEntry {
  const { segments, hasMedia, ...entry } = text;
  return hasMedia ? { ...entry, kind: "mms_messages", quantity: 1 } : { ...entry, kind: "sms_segments", quantity: segments };
}

/** One line of the billing ledger, once per Twilio SID however often Twilio repeats itself. */
export async function recordUsage(tx: Queryable, entry: UsageEntry): Promise<void> {
  if (entry.quantity <= 0) return;
  await tx.query(
    `insert into public.usage_events (client_id, kind, direction, quantity, twilio_sid, tracking_number, occurred_at)
     values ($1, $2, $3, $4, $5, $6, $7)
     on conflict (twilio_sid, kind) do nothing`,
    [entry.clientId, entry.kind, entry.direction, entry.quantity, entry.twilioSid, entry.trackingNumber, entry.occurredAt.toISOString()],
  );
}

/** A text we just sent through Twilio's REST API (a text-back, an inbox reply), as Twilio counted it. */
export function sentTextUsage(sent: { clientId: string; trackingNumber: string; messageSid: string; segments: number }): UsageEntry {
  return {
    clientId: sent.clientId,
    kind: "sms_segments",
    direction: "outbound",
    quantity: sent.segments,
    twilioSid: sent.messageSid,
    trackingNumber: sent.trackingNumber,
    occurredAt: new Date(),
  };
}
