import { z } from "zod";
import type { Database, Queryable } from "../db/database";
import { withUserClaims } from "../db/with-user-claims";
import { isAgencyStaff, type Viewer } from "../auth/viewer";
import { formatPhoneForDisplay } from "../phone/format-phone";
import { describeAttribution, toAttribution, type Attribution, type AttributionRow } from "./attribution";
import { callOutcome, type CallOutcome } from "./call-outcome";
import type { TextAuthor } from "./describe-text";
import { LEAD_IDENTITY_COLUMNS, toLeadIdentity, type LeadIdentity, type LeadIdentityRow } from "./lead-identity";

/** A thread shows this many of the newest calls and texts; older ones are a report's business. */
export const TIMELINE_LIMIT = 200;

export const OPTED_OUT_REASON = "This caller opted out of texts (replied STOP).";
export const CANNOT_RECEIVE_REASON = "This number cannot receive texts (Twilio reports a landline or an unreachable number).";
export const WITHHELD_REASON = "Withheld number: nobody to text.";

export type ThreadLead = LeadIdentity & {
  id: string;
  value: number | null;
  notes: string | null;
  /** The tracking number the lead called or texted, formatted. */
  trackingNumber: string | null;
  firstContactAt: Date;
  lastContactAt: Date;
  /** What brought the lead: its first call's or text's touch; null when nothing is known. */
  firstTouch: Attribution | null;
};

export type CallEntry = {
  kind: "call";
  id: string;
  at: Date;
  outcome: CallOutcome;
  /** Why a missed call counts as missed: "no-answer", "busy", "too-short", ... */
  missedReason: string | null;
  /** How long the client talked (the forwarded leg), else the whole call. */
  durationSeconds: number | null;
  /** The client's number the call rang, formatted. */
  forwardedTo: string | null;
  /** Played through /api/recordings/<id>, never from Twilio directly. */
  voicemail: { durationSeconds: number | null } | null;
  /** Where this call came from ("Facebook Ads · paid · spring-sale") when not where the lead first did. */
  cameFrom: string | null;
};

/** Where a text stands: Twilio's status ("queued", "delivered", "failed", ...) and error code. */
export type Delivery = { status: string; errorCode: number | null };

export type TextEntry = {
  kind: "text";
  id: string;
  at: Date;
  author: TextAuthor;
  body: string;
  mediaCount: number;
  /** For a text to the lead: how its delivery went (a reply from the client's phone, by its relay). */
  delivery: Delivery | null;
  /** For the lead's text: how its copy to the client's phone went. */
  copyToClient: Delivery | null;
  /** Where the lead's text came from when not where the lead first did. */
  cameFrom: string | null;
};

export type TimelineEntry = CallEntry | TextEntry;

export type Thread = {
  lead: ThreadLead;
  /** Oldest first, newest last. */
  timeline: TimelineEntry[];
  /** Older calls or texts exist than the timeline shows. */
  olderOmitted: boolean;
  /** Why no text can be sent to this lead, in words for the reply box; undefined when one can. */
  replyDisabledReason?: string;
};

type LeadRow = LeadIdentityRow & AttributionRow & {
  value: number | null;
  notes: string | null;
  tracking_number: string | null;
  first_contact_at: Date;
  last_contact_at: Date;
  opted_out: boolean;
  cannot_receive_texts: boolean | null;
};

/** A call's or text's own source, medium and campaign. */
type SourceRow = Pick<AttributionRow, "source" | "medium" | "campaign">;

type CallRow = SourceRow & {
  id: string;
  started_at: Date;
  outcome: string | null;
  missed_reason: string | null;
  dial_duration_seconds: number | null;
  duration_seconds: number | null;
  forwarded_to: string | null;
  has_recording: boolean;
  recording_duration_seconds: number | null;
};

type TextRow = SourceRow & {
  id: string;
  created_at: Date;
  direction: "inbound" | "outbound";
  author: TextAuthor;
  body: string;
  media_count: number;
  status: string | null;
  error_code: number | null;
  relay_status: string | null;
  relay_error_code: number | null;
};

/**
 * A lead and its calls and texts, under the viewer's claims: null when the id is not a lead the
 * viewer may see (another client's lead looks exactly like one that does not exist).
 */
export async function readThread(db: Database, viewer: Viewer, leadId: string): Promise<Thread | null> {
  if (!z.uuid().safeParse(leadId).success) return null;
  return withUserClaims(db, viewer.claims, async (tx) => {
    const lead = await readLead(tx, viewer, leadId);
    if (!lead) return null;
    const calls = await readCalls(tx, lead);
    const texts = await readTexts(tx, lead);
    const threadLead = toThreadLead(lead);
    const cameFrom = cameFromUnless(describeAttribution(threadLead.firstTouch));
    const entries = [...calls.map((row) => toCallEntry(row, cameFrom(row))), ...texts.map((row) => toTextEntry(row, cameFrom(row)))];
    entries.sort((a, b) => b.at.getTime() - a.at.getTime());
    return {
      lead: threadLead,
      timeline: entries.slice(0, TIMELINE_LIMIT).reverse(),
      olderOmitted: entries.length > TIMELINE_LIMIT,
      replyDisabledReason: replyDisabledReason(lead),
    };
  });
}

async function readLead(tx: Queryable, viewer: Viewer, leadId: string): Promise<LeadRow | undefined> {
  const ownClientOnly = isAgencyStaff(viewer) ? "" : "and l.client_id = $2";
  const [lead] = await tx.query<LeadRow>(
    `select ${LEAD_IDENTITY_COLUMNS}, l.value::float8 as value, l.notes, l.tracking_number, l.first_contact_at, l.last_contact_at,
            l.medium, l.campaign, l.term, l.click_id, l.click_id_type, l.landing_page, l.referrer,
            o.phone is not null as opted_out, o.cannot_receive_texts
       from public.leads l
       join public.clients c on c.id = l.client_id
       left join public.opt_outs o on o.client_id = l.client_id and o.phone = l.caller
      where l.id = $1 ${ownClientOnly}`,
    isAgencyStaff(viewer) ? [leadId] : [leadId, viewer.clientId],
  );
  return lead;
}

// One more than the timeline shows, so a longer history is known to exist.
async function readCalls(tx: Queryable, lead: LeadRow): Promise<CallRow[]> {
  return tx.query<CallRow>(
    `select id, started_at, outcome, missed_reason, dial_duration_seconds, duration_seconds, forwarded_to,
            recording_url is not null as has_recording, recording_duration_seconds, source, medium, campaign
       from public.calls where lead_id = $1 and client_id = $2
      order by started_at desc limit ${TIMELINE_LIMIT + 1}`,
    [lead.id, lead.client_id],
  );
}

async function readTexts(tx: Queryable, lead: LeadRow): Promise<TextRow[]> {
  return tx.query<TextRow>(
    `select id, created_at, direction, author, body, jsonb_array_length(media) as media_count, status, error_code, relay_status, relay_error_code,
            source, medium, campaign
       from public.messages where lead_id = $1 and client_id = $2
      order by created_at desc limit ${TIMELINE_LIMIT + 1}`,
    [lead.id, lead.client_id],
  );
}

function toThreadLead(row: LeadRow): ThreadLead {
  return {
    id: row.id,
    ...toLeadIdentity(row),
    value: row.value,
    notes: row.notes,
    trackingNumber: row.tracking_number && formatPhoneForDisplay(row.tracking_number),
    clientId: row.client_id,
    clientName: row.client_name,
    firstContactAt: row.first_contact_at,
    lastContactAt: row.last_contact_at,
    firstTouch: toAttribution(row),
  };
}

/** A contact's own origin in one line, unless it says what the lead's first touch (`leadLine`) says. */
function cameFromUnless(leadLine: string): (row: SourceRow) => string | null {
  return (row) => {
    const line = describeAttribution(row);
    return line === "" || line === leadLine ? null : line;
  };
}

function toCallEntry(row: CallRow, cameFrom: string | null): CallEntry {
  return {
    kind: "call",
    id: row.id,
    at: row.started_at,
    outcome: callOutcome(row.outcome, row.missed_reason),
    missedReason: row.outcome === "missed" ? row.missed_reason : null,
    durationSeconds: row.dial_duration_seconds ?? row.duration_seconds,
    forwardedTo: row.forwarded_to && formatPhoneForDisplay(row.forwarded_to),
    voicemail: row.has_recording ? { durationSeconds: row.recording_duration_seconds } : null,
    cameFrom,
  };
}

// A reply the client sent from their own phone is passed on by a relay ("relayed"), whose
// delivery is the one that reached the lead.
function toTextEntry(row: TextRow, cameFrom: string | null): TextEntry {
  const outbound = row.direction === "outbound";
  const relayed = outbound && row.status === "relayed" && row.relay_status !== null;
  return {
    kind: "text",
    id: row.id,
    at: row.created_at,
    author: row.author,
    body: row.body,
    mediaCount: row.media_count,
    delivery: !outbound || row.status === null ? null : relayed ? { status: row.relay_status!, errorCode: row.relay_error_code } : { status: row.status, errorCode: row.error_code },
    copyToClient: !outbound && row.relay_status !== null ? { status: row.relay_status, errorCode: row.relay_error_code } : null,
    cameFrom,
  };
}

function replyDisabledReason(lead: LeadRow): string | undefined {
  if (lead.caller_withheld) return WITHHELD_REASON;
  if (lead.cannot_receive_texts) return CANNOT_RECEIVE_REASON;
  if (lead.opted_out) return OPTED_OUT_REASON;
  return undefined;
}
