import type { Database } from "../db/database";
import { sendMissedCallText } from "./send-missed-call-text";

// The webhook's own after() work sends a text-back within seconds; pending a minute means it died.
const PENDING_GRACE = "1 minute";
// A missed-call text this late would puzzle the caller more than help; old rows are never sent.
const TOO_LATE = "1 hour";
// A send, retries and 10 s request deadlines included, takes well under a minute.
const SENDING_LIMIT = "5 minutes";
const MAX_TEXTS_PER_RUN = 50;

export const STOPPED_WHILE_SENDING =
  "stopped while sending (the process ended): not sent again, since Twilio may already have taken it";
export const TOO_LATE_TO_SEND = "not sent within an hour of the call, so not sent at all";

export type SweptTextBacks = { retried: number; failed: number };

/**
 * Finishes text-backs a dead process left behind, so none stays pending or sending, where it
 * would count as the caller's one text for 24 hours. Pending ones are sent (the send claims each,
 * and only while the call still counts as missed, so overlapping sweeps and a late webhook send one
 * text), unless the call is too long ago. One stuck while sending is failed, never sent again: Twilio may
 * have taken it before the process died, and a second text would be worse than none.
 */
export async function sweepStuckTextBacks(db: Database): Promise<SweptTextBacks> {
  const failed = await db.query(
    `update internal.text_backs set status = 'failed', error_message = case status when 'sending' then $1 else $2 end, updated_at = now()
      where (status = 'sending' and updated_at < now() - $3::interval)
         or (status = 'pending' and created_at < now() - $4::interval)
      returning call_sid`,
    [STOPPED_WHILE_SENDING, TOO_LATE_TO_SEND, SENDING_LIMIT, TOO_LATE],
  );
  const pending = await db.query<{ call_sid: string }>(
    `select call_sid from internal.text_backs
      where status = 'pending' and created_at < now() - $1::interval
      order by created_at
      limit $2`,
    [PENDING_GRACE, MAX_TEXTS_PER_RUN],
  );
  const sent = await Promise.allSettled(pending.map(({ call_sid: callSid }) => sendMissedCallText(callSid)));
  for (const result of sent) if (result.status === "rejected") console.error("sending a stuck missed-call text failed:", result.reason);
  return { retried: pending.length, failed: failed.length };
}
