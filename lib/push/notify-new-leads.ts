import webPush, { WebPushError, type PushSubscription } from "web-push";
import type { Queryable } from "../db/database";
import { getDatabase } from "../db/get-database";
import { serverEnv, type ServerEnv } from "../env";
import { formatPhoneForDisplay } from "../phone/format-phone";
import { NEW_LEAD_NEWS_SECONDS } from "./drop-stale-push-alerts";

/** What public/sw.js shows: a notification that opens the lead's thread when clicked. */
export type NewLeadPush = { title: string; body: string; url: string };

/** Leads whose alerts this run took: pushed, or dropped as older than an hour. */
export type NewLeadPushes = { pushed: number; dropped: number };

type ClaimedAlert = { lead_id: string; stale: boolean };

// One row per lead and subscribed browser; a lead with no subscribed browser gives one row with a
// null endpoint. first_contact is null only for a lead written with no call or text of its own.
type Recipient = {
  lead_id: string;
  caller: string;
  client_name: string;
  first_contact: "call" | "text" | null;
  first_text: string | null;
  endpoint: string | null;
  p256dh: string | null;
  auth: string | null;
};

type Vapid = NonNullable<ServerEnv["webPush"]>;

const CLAIM_BATCH = 100;
const SEND_TIMEOUT_MS = 5000;
const SENDS_AT_ONCE = 8;
const TEXT_PREVIEW_CHARS = 120;

/**
 * Pushes each new lead (internal.push_alerts, written with the lead) to every subscribed browser of
 * a user who may see it: the agency's staff and that client's own users. Runs in the webhooks'
 * deferred work and in the follow-ups cron, on any instance: taking an alert deletes it, and
 * concurrent runs skip the alerts another holds, so each lead is pushed once. An alert older than
 * an hour is dropped unsent. Without VAPID keys it does nothing. Never throws. A subscription the
 * push service says is gone (404, 410) is deleted.
 *
 * An alert is deleted as it is taken, before its sends: a process that dies between the two loses
 * that one push (the lead is in the inbox regardless); holding it until sent would hold a
 * transaction open across the push services' answers, and push twice when the commit fails.
 */
export async function notifyNewLeads(): Promise<NewLeadPushes> {
  const done: NewLeadPushes = { pushed: 0, dropped: 0 };
  try {
    const vapid = serverEnv().webPush;
    if (!vapid) return done;
    const db = await getDatabase();
    for (;;) {
      const claimed = await claimAlerts(db);
      const fresh = claimed.filter((alert) => !alert.stale).map((alert) => alert.lead_id);
      done.dropped += claimed.length - fresh.length;
      if (fresh.length > 0) await pushLeads(db, fresh, vapid);
      done.pushed += fresh.length;
      if (claimed.length < CLAIM_BATCH) return done;
    }
  } catch (error) {
    console.error(`pushing new leads failed: ${(error as Error).message}`);
    return done;
  }
}

// Oldest first; rows another run has locked are skipped, not waited for, so every run takes a
// different set and none blocks on another's.
async function claimAlerts(db: Queryable): Promise<ClaimedAlert[]> {
  return db.query<ClaimedAlert>(
    `delete from internal.push_alerts
      where lead_id in (select lead_id from internal.push_alerts order by created_at limit $1 for update skip locked)
      returning lead_id, created_at < now() - make_interval(secs => $2) as stale`,
    [CLAIM_BATCH, NEW_LEAD_NEWS_SECONDS],
  );
}

async function pushLeads(db: Queryable, leadIds: string[], vapid: Vapid): Promise<void> {
  const recipients = await readRecipients(db, leadIds);
  const gone = new Set<string>();
  await inTurns(recipients, SENDS_AT_ONCE, async (recipient) => {
    if (!recipient.endpoint || !recipient.p256dh || !recipient.auth) return;
    const subscription: PushSubscription = { endpoint: recipient.endpoint, keys: { p256dh: recipient.p256dh, auth: recipient.auth } };
    try {
      await webPush.sendNotification(subscription, JSON.stringify(newLeadPush(recipient)), {
        vapidDetails: vapid,
        TTL: NEW_LEAD_NEWS_SECONDS,
        urgency: "high",
        timeout: SEND_TIMEOUT_MS,
      });
    } catch (error) {
      const status = error instanceof WebPushError ? error.statusCode : undefined;
      if (status === 404 || status === 410) gone.add(recipient.endpoint);
      else console.error(`pushing lead ${recipient.lead_id} to a browser failed: ${status ?? ""} ${(error as Error).message}`);
    }
  });
  if (gone.size > 0) await db.query("delete from public.push_subscriptions where endpoint = any($1::text[])", [[...gone]]);
}

// A burst of leads times their subscribed browsers is many requests: a few at a time keeps the
// sockets and memory one run takes bounded, whatever the number of subscriptions.
async function inTurns<T>(items: T[], atOnce: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(atOnce, items.length) }, worker));
}

function newLeadPush(lead: Recipient): NewLeadPush {
  const who = formatPhoneForDisplay(lead.caller);
  const text = (lead.first_text ?? "").replace(/\s+/g, " ").trim();
  const preview = text.length > TEXT_PREVIEW_CHARS ? `${text.slice(0, TEXT_PREVIEW_CHARS - 1)}…` : text;
  const body = {
    call: `${who} called`,
    text: preview ? `${who} texted: ${preview}` : `${who} texted`,
    none: `${who} got in touch`,
  }[lead.first_contact ?? "none"];
  return { title: `New lead · ${lead.client_name}`, body, url: `/inbox/${lead.lead_id}` };
}

// As the server's own role: no user is asking, and this reads every recipient's subscriptions. The
// first contact is read now, from the call or text written with the lead in its transaction.
async function readRecipients(db: Queryable, leadIds: string[]): Promise<Recipient[]> {
  return db.query<Recipient>(
    `select l.id as lead_id, l.caller, c.name as client_name, opener.kind as first_contact, opener.body as first_text,
            s.endpoint, s.p256dh, s.auth
       from public.leads l
       join public.clients c on c.id = l.client_id
       left join lateral (
         select kind, body from (
           select 'call' as kind, null::text as body, started_at as at from public.calls where lead_id = l.id
           union all
           select 'text', body, created_at from public.messages where lead_id = l.id and direction = 'inbound'
         ) contacts
         order by at
         limit 1
       ) opener on true
       left join (
         public.members m join public.push_subscriptions s on s.user_id = m.user_id
       ) on m.role in ('agency_admin', 'agency_staff') or m.client_id = l.client_id
      where l.id = any($1::uuid[])`,
    [leadIds],
  );
}
