import { z } from "zod";
import type { Viewer } from "../auth/viewer";
import type { Database, Queryable } from "../db/database";
import { asServerRoleInSameTransaction, withUserClaims } from "../db/with-user-claims";
import { enqueueLeadSync } from "../outbox/enqueue-lead-sync";
import { recordOptOut, TWILIO_OPT_OUT_REASON } from "../sms/opt-outs";
import { OPTED_OUT_ERROR, sendSms } from "../twilio/send-sms";
import { recordUsage, sentTextUsage } from "../usage/record-usage";

export const replyBodySchema = z
  .string()
  .trim()
  .min(1, "Write a reply first.")
  .max(1600, "A reply can be at most 1,600 characters.");

const leadIdSchema = z.uuid();

export const OPTED_OUT_MESSAGE = "This caller opted out of texts (replied STOP)";
export const CANNOT_RECEIVE_MESSAGE = "Twilio reports this number cannot receive texts";
export const WITHHELD_MESSAGE = "This caller withheld their number, so there is no one to text.";
export const NO_TRACKING_NUMBER_MESSAGE =
  "This lead's tracking number is no longer active for this client, so there is no number to text from.";
export const NOT_SENT_MESSAGE = "Your reply could not be sent. Please try again.";
export const NOT_SAVED_MESSAGE = "Your reply was sent, but it could not be saved to this thread. Do not send it again.";

type Reply = { messageSid: string; body: string; status: "queued" | "simulated"; segments?: number };

export type InboxReplyResult =
  | { ok: true; messageSid: string; status: "queued" | "simulated" }
  | {
      ok: false;
      reason: "not-found" | "invalid-body" | "withheld" | "no-tracking-number" | "opted-out" | "cannot-receive" | "not-sent" | "not-saved";
      message: string;
    };

type ReplyTarget = {
  id: string;
  client_id: string;
  caller: string;
  caller_withheld: boolean;
  from_number: string | null;
  opted_out: boolean;
  cannot_receive_texts: boolean;
};

/**
 * The client's reply to a lead from the inbox, sent from the lead's tracking number and kept as
 * the same record as a reply from the client's own phone (lib/sms/relay-client-reply.ts): an
 * outbound text authored by the client, queued for the pipeline. RLS decides which leads the
 * viewer may reply to; a lead they cannot see is not found.
 */
export async function sendInboxReply(db: Database, viewer: Viewer, leadId: string, body: string): Promise<InboxReplyResult> {
  if (!leadIdSchema.safeParse(leadId).success) return { ok: false, reason: "not-found", message: "Lead not found." };
  const text = replyBodySchema.safeParse(body);
  if (!text.success) return { ok: false, reason: "invalid-body", message: text.error.issues[0].message };

  const target = await withUserClaims(db, viewer.claims, (tx) => readReplyTarget(tx, viewer, leadId));
  if (!target) return { ok: false, reason: "not-found", message: "Lead not found." };
  if (target.caller_withheld) return { ok: false, reason: "withheld", message: WITHHELD_MESSAGE };
  if (target.cannot_receive_texts) return { ok: false, reason: "cannot-receive", message: CANNOT_RECEIVE_MESSAGE };
  if (target.opted_out) return { ok: false, reason: "opted-out", message: OPTED_OUT_MESSAGE };
  if (!target.from_number) return { ok: false, reason: "no-tracking-number", message: NO_TRACKING_NUMBER_MESSAGE };

  // No transaction is open while Twilio answers: a slow API must not hold a connection and locks.
  const sent = await sendSms({ to: target.caller, from: target.from_number, body: text.data });
  if (sent.status === "failed") {
    if (sent.errorCode !== OPTED_OUT_ERROR) return { ok: false, reason: "not-sent", message: NOT_SENT_MESSAGE };
    await db.transaction((tx) => recordOptOut(tx, target.client_id, target.caller, TWILIO_OPT_OUT_REASON));
    return { ok: false, reason: "opted-out", message: OPTED_OUT_MESSAGE };
  }

  const reply: Reply =
    sent.status === "simulated"
      ? { messageSid: sent.messageSid, body: text.data, status: "simulated" }
      : { messageSid: sent.messageSid, body: text.data, status: "queued", segments: sent.segments };
  try {
    await withUserClaims(db, viewer.claims, async (tx) => {
      await insertReply(tx, target, reply);
      // RLS vouched for the row above. Its first status, its pipeline job and its usage are the
      // server's to write: a client may not set a delivery status (only what Twilio answered, and
      // then its signed callbacks, may) nor reach internal.outbox or the usage ledger.
      await asServerRoleInSameTransaction(tx);
      await settleReply(tx, target, reply);
    });
  } catch (error) {
    // The text is out, and RLS let the viewer reply to this lead when it was read: if the lead's
    // tracking number or the lead changed hands meanwhile, the row is still the truth to keep.
    console.error(`saving inbox reply ${reply.messageSid} to lead ${target.id} under the user's claims failed, saving it as the server:`, error);
    try {
      await db.transaction(async (tx) => {
        await insertReply(tx, target, reply);
        await settleReply(tx, target, reply);
      });
    } catch (retryError) {
      console.error(`saving inbox reply ${reply.messageSid} to lead ${target.id} failed:`, retryError);
      return { ok: false, reason: "not-saved", message: NOT_SAVED_MESSAGE };
    }
  }
  return { ok: true, messageSid: reply.messageSid, status: reply.status };
}

async function readReplyTarget(tx: Queryable, viewer: Viewer, leadId: string): Promise<ReplyTarget | undefined> {
  const [target] = await tx.query<ReplyTarget>(
    `select l.id, l.client_id, l.caller, l.caller_withheld, t.phone_number as from_number,
            o.phone is not null and not o.cannot_receive_texts as opted_out,
            coalesce(o.cannot_receive_texts, false) as cannot_receive_texts
       from public.leads l
       left join public.tracking_numbers t on t.phone_number = l.tracking_number and t.client_id = l.client_id and t.active
       left join public.opt_outs o on o.client_id = l.client_id and o.phone = l.caller
      where l.id = $1 and ($2::text is null or l.client_id = $2)`,
    [leadId, viewer.clientId],
  );
  return target;
}

/** The reply as the client's outbound text; a row already kept under its SID stays as it is. */
async function insertReply(tx: Queryable, target: ReplyTarget, reply: Reply): Promise<void> {
  await tx.query(
    `insert into public.messages (message_sid, client_id, lead_id, direction, author, tracking_number, counterpart, body)
     values ($1, $2, $3, 'outbound', 'client', $4, $5, $6)
     on conflict (message_sid) do nothing`,
    [reply.messageSid, target.client_id, target.id, target.from_number, target.caller, reply.body],
  );
}

/** What Twilio answered as the reply's first status, the lead's pipeline job and the text's usage; as the server. */
async function settleReply(tx: Queryable, target: ReplyTarget, reply: Reply): Promise<void> {
  await tx.query("update public.messages set status = $2 where message_sid = $1 and status is null", [reply.messageSid, reply.status]);
  await enqueueLeadSync(tx, target.id, reply.messageSid);
  if (reply.segments && target.from_number) {
    await recordUsage(tx, sentTextUsage({ clientId: target.client_id, trackingNumber: target.from_number, messageSid: reply.messageSid, segments: reply.segments }));
  }
}
