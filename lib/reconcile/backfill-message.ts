import type { Queryable } from "../db/database";
import type { TrackingNumberConfig } from "../config/tracking-number-config";
import type { Media } from "../sms/inbound-sms";
import { optOutKeyword } from "../sms/opt-out-keyword";
import { recordInboundSms } from "../sms/record-inbound-sms";
import type { LoggedMessage } from "./list-twilio-logs";
import { lockForReconciliation } from "./lock-for-reconciliation";

/**
 * Logs a lead's text that Twilio has and Postgres lacks, as the SMS webhook would have: the lead,
 * its opt-out state, usage and pipeline job, dated when Twilio received it. Returns whether it was
 * missing.
 */
export async function backfillMessage(tx: Queryable, config: TrackingNumberConfig, message: LoggedMessage & { sentAt: Date }, media: Media[]): Promise<boolean> {
  await lockForReconciliation(tx, message.sid);
  const [logged] = await tx.query("select 1 from public.messages where message_sid = $1", [message.sid]);
  if (logged) return false;
  const sms = {
    MessageSid: message.sid,
    From: message.from,
    To: message.to,
    Body: message.body,
    NumMedia: media.length,
    NumSegments: message.numSegments,
    media,
  };
  await recordInboundSms(tx, config, sms, optOutKeyword(message.body), message.sentAt);
  return true;
}
