import type { Queryable } from "../db/database";
import { OPTED_OUT_ERROR } from "../twilio/send-sms";

/** Twilio's "landline or unreachable carrier": it comes in the status callback, not from the REST call. */
const CANNOT_RECEIVE_ERROR = 30006;

export const TWILIO_OPT_OUT_REASON = "Twilio 21610: the number has opted out";
const CANNOT_RECEIVE_REASON = "Twilio 30006: a landline or a number no carrier delivers texts to";

export async function recordOptOut(tx: Queryable, clientId: string, phone: string, reason: string): Promise<void> {
  await tx.query(
    `insert into public.opt_outs (client_id, phone, reason) values ($1, $2, $3)
     on conflict (client_id, phone) do nothing`,
    [clientId, phone, reason],
  );
}

/** A number that cannot receive texts is skipped like an opted-out one, until it texts in itself. */
async function recordCannotReceiveTexts(tx: Queryable, clientId: string, phone: string): Promise<void> {
  await tx.query(
    `insert into public.opt_outs (client_id, phone, reason, cannot_receive_texts) values ($1, $2, $3, true)
     on conflict (client_id, phone) do update set reason = excluded.reason, cannot_receive_texts = true, opted_out_at = now()
      where not public.opt_outs.cannot_receive_texts`,
    [clientId, phone, CANNOT_RECEIVE_REASON],
  );
}

/** What a failed delivery tells about the number it was for: 21610 opted out, 30006 cannot receive texts. */
export async function recordRecipientError(tx: Queryable, clientId: string, phone: string, errorCode: number | undefined): Promise<void> {
  if (errorCode === OPTED_OUT_ERROR) await recordOptOut(tx, clientId, phone, TWILIO_OPT_OUT_REASON);
  if (errorCode === CANNOT_RECEIVE_ERROR) await recordCannotReceiveTexts(tx, clientId, phone);
}

/** START ends an opt-out. */
export async function clearOptOut(tx: Queryable, clientId: string, phone: string): Promise<void> {
  await tx.query("delete from public.opt_outs where client_id = $1 and phone = $2 and not cannot_receive_texts", [clientId, phone]);
}

/**
 * A text from a number shows it takes texts: 30006 also covers a carrier that was unreachable for a
 * while. An opt-out stays; Twilio enforces a STOP on its side too.
 */
export async function clearCannotReceiveTexts(tx: Queryable, clientId: string, phone: string): Promise<void> {
  await tx.query("delete from public.opt_outs where client_id = $1 and phone = $2 and cannot_receive_texts", [clientId, phone]);
}
