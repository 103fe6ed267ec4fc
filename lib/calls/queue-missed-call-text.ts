import type { Queryable } from "../db/database";
import type { TrackingNumberConfig } from "../config/tracking-number-config";
import { isTextableCaller } from "../phone/caller-id";

/**
 * Decides, inside the transaction that marked the call missed, whether the caller gets a text,
 * and if so inserts its row before anything is sent: the key on the CallSid keeps simultaneous
 * callbacks to one text. Guards: the client's toggle, a real caller number, no opt-out, and at
 * most one text per caller per client per 24 hours (a text that failed or was canceled is none).
 */
export async function queueMissedCallText(tx: Queryable, config: TrackingNumberConfig, call: { CallSid: string; From: string }): Promise<boolean> {
  if (!config.textBackEnabled || !isTextableCaller(call.From)) return false;
  // Two different calls from one caller at once must not both pass the 24-hour check.
  await tx.query("select pg_advisory_xact_lock(hashtext($1))", [`text-back:${config.clientId}:${call.From}`]);
  const [guard] = await tx.query<{ opted_out: boolean; texted_recently: boolean }>(
    `select exists (select 1 from public.opt_outs where client_id = $1 and phone = $2) as opted_out,
            exists (select 1 from internal.text_backs
                     where client_id = $1 and caller = $2 and created_at > now() - interval '24 hours'
                       and status not in ('failed', 'canceled')) as texted_recently`,
    [config.clientId, call.From],
  );
  if (guard.opted_out || guard.texted_recently) return false;
  const inserted = await tx.query(
    `insert into internal.text_backs (call_sid, client_id, caller, from_number, body)
     values ($1, $2, $3, $4, $5)
     on conflict (call_sid) do nothing
     returning call_sid`,
    [call.CallSid, config.clientId, call.From, config.trackingNumber, config.textBackMessage],
  );
  return inserted.length > 0;
}
