import type { Queryable } from "../db/database";

export type UsageKind = "call_seconds" | "sms_segments" | "mms_messages";

/** One line of the billing ledger, once per Twilio SID and kind however often Twilio repeats itself. */
export async function recordUsage(tx: Queryable, clientId: string, kind: UsageKind, quantity: number, twilioSid: string): Promise<void> {
  if (quantity <= 0) return;
  await tx.query(
    `insert into public.usage_events (client_id, kind, quantity, twilio_sid) values ($1, $2, $3, $4)
     on conflict (twilio_sid, kind) do nothing`,
    [clientId, kind, quantity, twilioSid],
  );
}
