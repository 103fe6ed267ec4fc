import type { Queryable } from "../db/database";
import { bestEffort } from "../db/best-effort";
import { getDatabase } from "../db/get-database";
import type { TrackingNumberConfig } from "../config/tracking-number-config";
import { enqueueLeadSync } from "../outbox/enqueue-lead-sync";
import { formatPhoneForPeople } from "../phone/normalize-phone";
import { MessagingResponse, type WebhookAnswer } from "../twilio/twiml";
import type { InboundSms } from "./inbound-sms";

export const NO_RECENT_LEAD_REPLY =
  "Leadline: nobody has called or texted this number in the last 7 days, so there is no one to send your reply to.";
export const REPLY_NOT_DELIVERED = "Leadline: your reply could not be delivered just now. Please send it again in a minute.";

type Target = { caller: string; lead_id: string; opted_out: boolean };

/**
 * A text from the client's own SMS Forward Number to its tracking number is the client answering:
 * it goes, from the tracking number, to the lead who most recently called or texted that number in
 * the last 7 days. It never creates a lead, and nothing here texts the client back but one line.
 */
export async function relayClientReply(config: TrackingNumberConfig, sms: InboundSms): Promise<WebhookAnswer> {
  const target = await bestEffort(`finding who ${config.clientName} is replying to`, async () =>
    (await getDatabase()).transaction(async (tx) => {
      const found = await mostRecentLead(tx, config);
      if (found && !found.opted_out) await recordClientReply(tx, config, sms, found);
      return found ?? null;
    }),
  );
  const response = new MessagingResponse();
  if (target === undefined) {
    response.message(REPLY_NOT_DELIVERED);
  } else if (target === null) {
    response.message(NO_RECENT_LEAD_REPLY);
  } else if (target.opted_out) {
    response.message(`Leadline: ${formatPhoneForPeople(target.caller)} has opted out of texts (replied STOP), so your reply was not sent.`);
  } else {
    const message = response.message({ to: target.caller, from: config.trackingNumber }, "");
    if (sms.Body) message.body(sms.Body);
    for (const media of sms.media) message.media(media.url);
  }
  return { twiml: response.toString() };
}

async function mostRecentLead(tx: Queryable, config: TrackingNumberConfig): Promise<Target | undefined> {
  const [target] = await tx.query<Target>(
    `select l.caller, l.id as lead_id,
            exists (select 1 from public.opt_outs o where o.client_id = l.client_id and o.phone = l.caller) as opted_out
       from (
         select lead_id, started_at as at from public.calls
          where tracking_number = $1 and lead_id is not null and started_at > now() - interval '7 days'
         union all
         select lead_id, created_at from public.messages
          where tracking_number = $1 and author = 'lead' and lead_id is not null and created_at > now() - interval '7 days'
       ) recent
       join public.leads l on l.id = recent.lead_id
      where not l.caller_withheld and l.caller <> $2
      order by recent.at desc
      limit 1`,
    [config.trackingNumber, config.smsForwardNumber],
  );
  return target;
}

async function recordClientReply(tx: Queryable, config: TrackingNumberConfig, sms: InboundSms, target: Target): Promise<void> {
  await tx.query(
    `insert into public.messages (message_sid, client_id, lead_id, direction, author, tracking_number, counterpart, body, media, status)
     values ($1, $2, $3, 'outbound', 'client', $4, $5, $6, $7, 'relayed')
     on conflict (message_sid) do nothing`,
    [sms.MessageSid, config.clientId, target.lead_id, config.trackingNumber, target.caller, sms.Body, JSON.stringify(sms.media)],
  );
  await enqueueLeadSync(tx, target.lead_id, sms.MessageSid);
}
