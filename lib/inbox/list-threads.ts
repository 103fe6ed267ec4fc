import type { Database } from "../db/database";
import { withUserClaims } from "../db/with-user-claims";
import type { Viewer } from "../auth/viewer";
import { callOutcome, describeCall } from "./call-outcome";
import { describeText, type TextAuthor } from "./describe-text";
import type { InboxFilters } from "./inbox-filters";
import { LEAD_IDENTITY_COLUMNS, toLeadIdentity, type LeadIdentity, type LeadIdentityRow } from "./lead-identity";
import { visibleClientIds } from "./visible-client-ids";
import { cursorTimeSql, decodeThreadCursor, encodeThreadCursor } from "./thread-cursor";

export const THREADS_PER_PAGE = 50;
/** Unread counts stop here ("99+"): counting a never-opened lead's whole history buys nothing. */
export const UNREAD_COUNT_CAP = 99;

export type ThreadSummary = LeadIdentity & {
  leadId: string;
  lastActivityAt: Date;
  /**
   * The newest call or text in one line: "Missed call", "Answered call 3:04", the text's words. An
   * automatic text-back only follows its missed call, which says more.
   */
  preview: string;
  /** The lead has a missed call. */
  missed: boolean;
  /** Calls and the lead's texts since this user last opened the thread; above UNREAD_COUNT_CAP means more. */
  unreadCount: number;
};

type ThreadRow = LeadIdentityRow & {
  last_contact_at: Date;
  cursor_at: string;
  call_at: Date | null;
  call_outcome: string | null;
  call_missed_reason: string | null;
  call_talk_seconds: number | null;
  call_has_voicemail: boolean | null;
  call_voicemail_seconds: number | null;
  text_at: Date | null;
  text_author: TextAuthor | null;
  text_body: string | null;
  text_media_count: number | null;
  missed: boolean;
  unread_count: number;
};

/**
 * The inbox: one thread per lead, newest activity first, a page at a time. Runs under the viewer's
 * claims, so RLS decides what is reached; the client predicates only keep every step on the
 * (client_id, last_contact_at, id) index: leads are walked per client in activity order and only
 * the page's leads have their last call, last text and unread count looked up.
 */
export async function listThreads(
  db: Database,
  viewer: Viewer,
  filters: InboxFilters,
  cursor?: string,
): Promise<{ threads: ThreadSummary[]; nextCursor: string | null }> {
  const clientIds = visibleClientIds(viewer, filters.client);
  if (clientIds?.length === 0) return { threads: [], nextCursor: null };

  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  const leadPredicates = leadFilterSql(filters, param);
  const after = decodeThreadCursor(cursor);
  if (after) leadPredicates.push(`(l.last_contact_at, l.id) < (${param(after.at)}::timestamptz, ${param(after.id)}::uuid)`);
  const clientPredicate = clientIds ? `where c.id = any(${param(clientIds)}::text[])` : "";
  const pageSize = param(THREADS_PER_PAGE + 1);
  const userId = param(viewer.userId);

  const rows = await withUserClaims(db, viewer.claims, (tx) =>
    tx.query<ThreadRow>(
      `with page as (
         select ${LEAD_IDENTITY_COLUMNS}, l.last_contact_at
           from public.clients c
           cross join lateral (
             select l.* from public.leads l
              where l.client_id = c.id ${leadPredicates.map((p) => `and ${p}`).join(" ")}
              order by l.last_contact_at desc, l.id desc
              limit ${pageSize}
           ) l
           ${clientPredicate}
          order by l.last_contact_at desc, l.id desc
          limit ${pageSize}
       )
       select p.*, ${cursorTimeSql("p.last_contact_at")} as cursor_at,
              lc.started_at as call_at, lc.outcome as call_outcome, lc.missed_reason as call_missed_reason,
              coalesce(lc.dial_duration_seconds, lc.duration_seconds) as call_talk_seconds,
              lc.recording_url is not null as call_has_voicemail, lc.recording_duration_seconds as call_voicemail_seconds,
              lm.created_at as text_at, lm.author as text_author, lm.body as text_body, jsonb_array_length(lm.media) as text_media_count,
              exists (select 1 from public.calls m where m.lead_id = p.id and m.client_id = p.client_id and m.outcome = 'missed') as missed,
              (select count(*)::int from (
                 select 1 from public.calls u
                  where u.lead_id = p.id and u.client_id = p.client_id and u.started_at > coalesce(r.read_at, '-infinity')
                  limit ${UNREAD_COUNT_CAP + 1}
               ) unread_calls)
              + (select count(*)::int from (
                 select 1 from public.messages u
                  where u.lead_id = p.id and u.client_id = p.client_id and u.author = 'lead' and u.created_at > coalesce(r.read_at, '-infinity')
                  limit ${UNREAD_COUNT_CAP + 1}
               ) unread_texts) as unread_count
         from page p
         left join public.lead_reads r on r.lead_id = p.id and r.user_id = ${userId}
         left join lateral (
           select started_at, outcome, missed_reason, dial_duration_seconds, duration_seconds, recording_url, recording_duration_seconds
             from public.calls where lead_id = p.id and client_id = p.client_id
            order by started_at desc limit 1
         ) lc on true
         left join lateral (
           select created_at, author, body, media
             from public.messages where lead_id = p.id and client_id = p.client_id and author <> 'auto'
            order by created_at desc limit 1
         ) lm on true
        order by p.last_contact_at desc, p.id desc`,
      params,
    ),
  );

  const hasMore = rows.length > THREADS_PER_PAGE;
  const page = rows.slice(0, THREADS_PER_PAGE);
  const last = page.at(-1);
  return {
    threads: page.map(toThreadSummary),
    nextCursor: hasMore && last ? encodeThreadCursor({ at: last.cursor_at, id: last.id }) : null,
  };
}

function leadFilterSql(filters: InboxFilters, param: (value: unknown) => string): string[] {
  const predicates: string[] = [];
  if (filters.status) predicates.push(`l.status = ${param(filters.status)}`);
  if (filters.source) predicates.push(`l.source = ${param(filters.source)}`);
  if (filters.missed) {
    predicates.push("exists (select 1 from public.calls m where m.lead_id = l.id and m.client_id = l.client_id and m.outcome = 'missed')");
  }
  if (filters.from) predicates.push(`l.last_contact_at >= ${param(`${filters.from}T00:00:00Z`)}::timestamptz`);
  if (filters.to) predicates.push(`l.last_contact_at < ${param(`${filters.to}T00:00:00Z`)}::timestamptz + interval '1 day'`);
  if (filters.q) {
    const digits = filters.q.replace(/\D/g, "");
    const byName = `l.name ilike ${param(`%${escapeLike(filters.q)}%`)}`;
    predicates.push(digits === "" ? byName : `(l.caller like ${param(`%${digits}%`)} or ${byName})`);
  }
  return predicates;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

function toThreadSummary(row: ThreadRow): ThreadSummary {
  const textIsNewer = row.text_at !== null && (row.call_at === null || row.text_at >= row.call_at);
  let preview = "";
  if (textIsNewer) {
    preview = describeText({ author: row.text_author!, body: row.text_body ?? "", mediaCount: row.text_media_count ?? 0 });
  } else if (row.call_at !== null) {
    preview = describeCall({
      outcome: callOutcome(row.call_outcome, row.call_missed_reason),
      talkSeconds: row.call_talk_seconds,
      hasVoicemail: row.call_has_voicemail === true,
      voicemailSeconds: row.call_voicemail_seconds,
    });
  }
  return {
    leadId: row.id,
    ...toLeadIdentity(row),
    lastActivityAt: row.last_contact_at,
    preview,
    missed: row.missed,
    unreadCount: row.unread_count,
  };
}
