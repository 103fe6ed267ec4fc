import type { Queryable } from "../db/database";
import { bestEffort } from "../db/best-effort";
import { getDatabase } from "../db/get-database";
import type { TrackingNumberConfig } from "../config/tracking-number-config";
import { enqueueLeadSync } from "../outbox/enqueue-lead-sync";
import { formatPhoneForPeople } from "../phone/normalize-phone";
import { MessagingResponse, type WebhookAnswer } from "../twilio/twiml";
import type { InboundSms } from "./inbound-sms";
import { optOutKeyword } from "./opt-out-keyword";
import { relayStatusUrl } from "./record-relay-status";
import { inboundTextUsage } from "../usage/inbound-text-usage";
import { recordUsage } from "../usage/record-usage";

export const NO_RECENT_LEAD_REPLY =
  "Leadline: nobody has called or texted this number in the last 7 days, so there is no one to send your reply to.";
export const REPLY_NOT_DELIVERED = "Leadline: your reply could not be delivered just now. Please send it again in a minute.";
export const CLIENT_KEYWORD_REPLY =
  "Leadline: STOP, START and HELP from your phone are not passed on to your leads. To answer a lead, reply in a sentence. " +
  "If your phone stopped getting texts from your leads, text START here.";

type Target = { caller: string; lead_id: string; blocked: "opted-out" | "cannot-receive" | null };

/**
 * A text from the client's own SMS Forward Number to its tracking number is the client answering:
 * it goes, from the tracking number, to the client's lead who most recently called or texted that
 * number in the 7 days before the reply arrived, by when each contact arrived. It never creates a
 * lead, and nothing here texts the client back but one line. A keyword (STOP, START, HELP) is
 * never passed on and changes nobody's opt-out: it was meant for Twilio, not for a lead.
 */
export async function relayClientReply(config: TrackingNumberConfig, sms: InboundSms, receivedAt: Date): Promise<WebhookAnswer> {
  if (optOutKeyword(sms.Body, sms.OptOutType)) return oneLine(CLIENT_KEYWORD_REPLY);
  const target = await bestEffort(`finding who ${config.clientName} is replying to`, async () =>
    (await getDatabase()).transaction(async (tx) => {
      const found = await mostRecentLead(tx, config, receivedAt);
      if (found && !found.blocked) await recordClientReply(tx, config, sms, found, receivedAt);
      // Twilio bills the client's text to its tracking number whether or not it reaches a lead.
      await recordUsage(tx, inboundTextUsage(config, sms, receivedAt));
      return found ?? null;
    }),
  );
  if (target === undefined) return oneLine(REPLY_NOT_DELIVERED);
  if (target === null) return oneLine(NO_RECENT_LEAD_REPLY);
  const lead = formatPhoneForPeople(target.caller);
  if (target.blocked === "cannot-receive") {
    return oneLine(
      `Leadline: ${lead} cannot receive texts (Twilio reports a landline or an unreachable number), so your reply was not sent. Call them instead.`,
    );
  }
  if (target.blocked === "opted-out") return oneLine(`Leadline: ${lead} has opted out of texts (replied STOP), so your reply was not sent.`);

  const response = new MessagingResponse();
  const message = response.message({ to: target.caller, from: config.trackingNumber, action: relayStatusUrl(sms.MessageSid), method: "POST" }, "");
  if (sms.Body) message.body(sms.Body);
  for (const media of sms.media) message.media(media.url);
  return { twiml: response.toString() };
}

function oneLine(text: string): WebhookAnswer {
  const response = new MessagingResponse();
  response.message(text);
  return { twiml: response.toString() };
}

// Only this client's rows count: a tracking number that moved from another client keeps that
// client's calls and texts, and they must not steer this client's replies.
async function mostRecentLead(tx: Queryable, config: TrackingNumberConfig, receivedAt: Date): Promise<Target | undefined> {
  const [target] = await tx.query<Target>(
    `select l.caller, l.id as lead_id,
            case when o.phone is null then null when o.cannot_receive_texts then 'cannot-receive' else 'opted-out' end as blocked
       from (
         select lead_id, started_at as at from public.calls
          where client_id = $1 and tracking_number = $2 and lead_id is not null
            and started_at > $4::timestamptz - interval '7 days' and started_at <= $4::timestamptz
         union all
         select lead_id, created_at from public.messages
          where client_id = $1 and tracking_number = $2 and author = 'lead' and lead_id is not null
            and created_at > $4::timestamptz - interval '7 days' and created_at <= $4::timestamptz
       ) recent
       join public.leads l on l.id = recent.lead_id and l.client_id = $1
       left join public.opt_outs o on o.client_id = l.client_id and o.phone = l.caller
      where not l.caller_withheld and l.caller <> $3
      order by recent.at desc
      limit 1`,
    [config.clientId, config.trackingNumber, config.smsForwardNumber, receivedAt],
  );
  return target;
}

async function recordClientReply(tx: Queryable, config: TrackingNumberConfig, sms: InboundSms, target: Target, receivedAt: Date): Promise<void> {
  await tx.query(
    `insert into public.messages (message_sid, client_id, lead_id, direction, author, tracking_number, counterpart, body, media, status, created_at)
     values ($1, $2, $3, 'outbound', 'client', $4, $5, $6, $7, 'relayed', $8)
     on conflict (message_sid) do nothing`,
    [sms.MessageSid, config.clientId, target.lead_id, config.trackingNumber, target.caller, sms.Body, JSON.stringify(sms.media), receivedAt],
  );
  await enqueueLeadSync(tx, target.lead_id, sms.MessageSid);
}
