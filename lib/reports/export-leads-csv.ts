import type { Database } from "../db/database";
import { withUserClaims } from "../db/with-user-claims";
import type { Viewer } from "../auth/viewer";
import { BYTE_ORDER_MARK, csvRow } from "./csv-row";
import type { AttributionRow } from "../inbox/attribution";
import { visibleClientIds } from "../inbox/visible-client-ids";
import { rangeBounds, type ReportRange } from "./report-range";

export const LEADS_CSV_HEADER = [
  "Lead ID",
  "Client",
  "Client ID",
  "Name",
  "Caller",
  "Status",
  "Value",
  "Source",
  "Medium",
  "Campaign",
  "Term",
  "Click ID",
  "Click ID Type",
  "Landing Page",
  "Referrer",
  "Tracking number",
  "First contact (UTC)",
  "Last contact (UTC)",
  "Calls",
  "Missed calls",
  "Texts in",
  "Texts out",
] as const;

const PAGE_SIZE = 1000;

type LeadRow = AttributionRow & {
  id: string;
  client_name: string;
  client_id: string;
  name: string | null;
  caller: string;
  status: string;
  value: string | null;
  tracking_number: string | null;
  first_contact: string;
  last_contact: string;
  cursor: string;
  calls: number;
  missed: number;
  texts_in: number;
  texts_out: number;
};

const UTC_ISO = `'YYYY-MM-DD"T"HH24:MI:SS"Z"'`;

// One page of leads with a call or text in the range, newest activity first, after the cursor
// (last_contact_at as text keeps its microseconds, which a JavaScript Date would drop). A lead's
// span (first to last contact) must overlap the range before its counts are looked at.
const PAGE_SQL = `
  select l.id, k.name as client_name, l.client_id, l.name, l.caller, l.status, l.value::text as value,
         l.source, l.medium, l.campaign, l.term, l.click_id, l.click_id_type, l.landing_page, l.referrer, l.tracking_number,
         to_char(l.first_contact_at at time zone 'UTC', ${UTC_ISO}) as first_contact,
         to_char(l.last_contact_at at time zone 'UTC', ${UTC_ISO}) as last_contact,
         l.last_contact_at::text as cursor,
         c.calls, c.missed, m.texts_in, m.texts_out
    from public.leads l
    join public.clients k on k.id = l.client_id
    cross join lateral (
      select count(*)::int as calls, count(*) filter (where outcome = 'missed')::int as missed
        from public.calls where lead_id = l.id and started_at >= $2 and started_at < $3
    ) c
    cross join lateral (
      select count(*) filter (where direction = 'inbound')::int as texts_in,
             count(*) filter (where direction = 'outbound')::int as texts_out
        from public.messages where lead_id = l.id and created_at >= $2 and created_at < $3
    ) m
   where ($1::text[] is null or l.client_id = any($1::text[]))
     and l.last_contact_at >= $2 and l.first_contact_at < $3
     and ($4::timestamptz is null or (l.last_contact_at, l.id) < ($4::timestamptz, $5::uuid))
     and c.calls + m.texts_in + m.texts_out > 0
   order by l.last_contact_at desc, l.id desc
   limit $6`;

/**
 * The viewer's leads with a call or text in the range, as CSV lines: attribution (client, the first
 * touch's source, medium, campaign, term, click id, landing page and referrer, tracking number,
 * first and last contact ever), status, name, value, and the range's counts of calls, missed calls
 * and texts each way. UTM values and pages come from strangers' URLs: csvRow keeps them text. Read a page at a time, each under the viewer's claims,
 * so a client with 20,000 leads streams instead of building one string.
 */
export async function* exportLeadsCsv(db: Database, viewer: Viewer, range: ReportRange, pageSize = PAGE_SIZE): AsyncGenerator<string> {
  const clientIds = visibleClientIds(viewer, range.client ?? undefined);
  const { start, end } = rangeBounds(range);
  yield BYTE_ORDER_MARK + csvRow([...LEADS_CSV_HEADER]);
  let after: { cursor: string; id: string } | null = null;
  for (;;) {
    const rows: LeadRow[] = await withUserClaims(db, viewer.claims, (tx) =>
      tx.query<LeadRow>(PAGE_SQL, [clientIds, start, end, after?.cursor ?? null, after?.id ?? null, pageSize]),
    );
    if (rows.length > 0) yield rows.map(leadLine).join("");
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1];
    after = { cursor: last.cursor, id: last.id };
  }
}

function leadLine(row: LeadRow): string {
  return csvRow([
    row.id,
    row.client_name,
    row.client_id,
    row.name,
    row.caller,
    row.status,
    row.value,
    row.source,
    row.medium,
    row.campaign,
    row.term,
    row.click_id,
    row.click_id_type,
    row.landing_page,
    row.referrer,
    row.tracking_number,
    row.first_contact,
    row.last_contact,
    row.calls,
    row.missed,
    row.texts_in,
    row.texts_out,
  ]);
}

export function leadsCsvFileName(range: Pick<ReportRange, "from" | "to">): string {
  return `leads-${range.from}-${range.to}.csv`;
}
