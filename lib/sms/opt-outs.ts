import type { Queryable } from "../db/database";

export const TWILIO_OPT_OUT_REASON = "Twilio 21610: the number has opted out";

export async function recordOptOut(tx: Queryable, clientId: string, phone: string, reason: string): Promise<void> {
  await tx.query(
    `insert into public.opt_outs (client_id, phone, reason) values ($1, $2, $3)
     on conflict (client_id, phone) do nothing`,
    [clientId, phone, reason],
  );
}

export async function clearOptOut(tx: Queryable, clientId: string, phone: string): Promise<void> {
  await tx.query("delete from public.opt_outs where client_id = $1 and phone = $2", [clientId, phone]);
}
