import type { Database } from "../db/database";
import { withUserClaims } from "../db/with-user-claims";
import type { Viewer } from "../auth/viewer";
import { visibleClientIds } from "../inbox/visible-client-ids";
import { daysInRange, rangeBounds, type ReportRange } from "./report-range";

/** A lead's source when its tracking number had none. */
export const NO_SOURCE = "No source";

export type ReportDay = {
  day: string;
  calls: number;
  bySource: Record<string, number>;
  answered: number;
  missed: number;
  firstTime: number;
  repeat: number;
  textBacksSent: number;
  textBacksAnswered: number;
};

export type FirstReplyBucket = "under5m" | "under1h" | "under1d" | "later" | "never";

export type Reports = {
  range: ReportRange;
  /** The clients the numbers cover; null for every client (staff). */
  clientIds: string[] | null;
  /** Every source with calls in the range, most calls first. */
  sources: string[];
  /** Every day of the range, days without calls included. */
  days: ReportDay[];
  totals: Omit<ReportDay, "day">;
  firstReply: {
    /** Leads that called or texted in the range. */
    leads: number;
    replied: number;
    medianSeconds: number | null;
    p90Seconds: number | null;
    buckets: Record<FirstReplyBucket, number>;
  };
};

// A text-back counts as answered when its lead texts or calls within this long after it.
export const TEXT_BACK_ANSWER_WINDOW = "7 days";

const SCOPE = (alias: string) => `($1::text[] is null or ${alias}.client_id = any($1::text[]))`;

// Days are cast, not formatted, while grouping (a date per call is cheaper than to_char per call),
// and made text once per group: the driver would turn a date into a local-midnight Date.
const utcDay = (column: string) => `(${column} at time zone 'UTC')::date`;

// Calls of the day by the lead's source. A call is first-time when it is its lead's first contact
// (first_contact_at only ever moves back to the earliest call or text). A call whose outcome is not
// settled yet counts in calls but in neither answered nor missed; abandoned calls are stored as
// missed, as the inbox shows them.
const CALLS_SQL = `
  select day::text as day, source, calls, answered, missed, first_time
    from (select ${utcDay("c.started_at")} as day,
                 coalesce(l.source, '${NO_SOURCE}') as source,
                 count(*)::int as calls,
                 count(*) filter (where c.outcome = 'answered')::int as answered,
                 count(*) filter (where c.outcome = 'missed')::int as missed,
                 count(*) filter (where c.started_at <= l.first_contact_at)::int as first_time
            from public.calls c
            join public.leads l on l.id = c.lead_id
           where ${SCOPE("c")} and c.started_at >= $2 and c.started_at < $3
           group by 1, 2) per_day`;

// Text-backs are the outbound texts Leadline wrote itself (author 'auto'); answered when the lead
// texted or called after it, within the window. The window's end is a column of the outer row
// (offset 0 keeps the subquery from being folded in), not an expression in the lookup: under RLS an
// index is bounded only by leakproof operators, and timestamptz + interval is not one, so otherwise
// every later contact of a busy lead would be read.
const TEXT_BACKS_SQL = `
  select day::text as day, sent, answered
    from (select ${utcDay("m.created_at")} as day,
                 count(*)::int as sent,
                 count(*) filter (where exists (
                     select 1 from public.messages r
                      where r.lead_id = m.lead_id and r.author = 'lead' and r.created_at > m.created_at and r.created_at <= m.answer_by)
                   or exists (
                     select 1 from public.calls c
                      where c.lead_id = m.lead_id and c.started_at > m.created_at and c.started_at <= m.answer_by)
                 )::int as answered
            from (select m.lead_id, m.created_at, m.created_at + interval '${TEXT_BACK_ANSWER_WINDOW}' as answer_by
                    from public.messages m
                   where ${SCOPE("m")} and m.author = 'auto' and m.created_at >= $2 and m.created_at < $3
                  offset 0) m
           group by 1) per_day`;

// Per lead that called or texted in the range: from its first call or text in the range to the
// first answer after it, a text the client wrote or an answered call (one answered at once is 0 s).
// Answers after the range still count: a lead from the range's last hour may be answered tomorrow.
// One hash join of the range's first contacts with every answer since the range began, rather than
// two lookups per lead.
const FIRST_REPLY_SQL = `
  with contacts as (
    select c.lead_id, c.started_at as at from public.calls c
     where ${SCOPE("c")} and c.started_at >= $2 and c.started_at < $3 and c.lead_id is not null
    union all
    select m.lead_id, m.created_at from public.messages m
     where ${SCOPE("m")} and m.author = 'lead' and m.created_at >= $2 and m.created_at < $3 and m.lead_id is not null
  ), first_contacts as (
    select lead_id, min(at) as at from contacts group by lead_id
  ), answers as (
    select c.lead_id, c.started_at as at from public.calls c
     where ${SCOPE("c")} and c.outcome = 'answered' and c.started_at >= $2
    union all
    select m.lead_id, m.created_at from public.messages m
     where ${SCOPE("m")} and m.author = 'client' and m.created_at >= $2
  ), waits as (
    select extract(epoch from min(a.at) - f.at)::float8 as seconds
      from first_contacts f
      left join answers a on a.lead_id = f.lead_id and a.at >= f.at
     group by f.lead_id, f.at
  )
  select count(*)::int as leads,
         count(seconds)::int as replied,
         percentile_disc(0.5) within group (order by seconds) as median,
         percentile_disc(0.9) within group (order by seconds) as p90,
         count(*) filter (where seconds < 300)::int as under5m,
         count(*) filter (where seconds >= 300 and seconds < 3600)::int as under1h,
         count(*) filter (where seconds >= 3600 and seconds < 86400)::int as under1d,
         count(*) filter (where seconds >= 86400)::int as later
    from waits`;

type CallRow = { day: string; source: string; calls: number; answered: number; missed: number; first_time: number };
type TextBackRow = { day: string; sent: number; answered: number };
type FirstReplyRow = { leads: number; replied: number; median: number | null; p90: number | null; under5m: number; under1h: number; under1d: number; later: number };

/**
 * The reports for a date range, as the viewer may see them: calls per day by source, answered
 * against missed, first-time against repeat callers, text-backs sent and answered, and time to
 * first reply. Runs under the viewer's claims, so RLS decides what is counted.
 */
export async function readReports(db: Database, viewer: Viewer, range: ReportRange): Promise<Reports> {
  const clientIds = visibleClientIds(viewer, range.client ?? undefined);
  const { start, end } = rangeBounds(range);
  const params = [clientIds, start, end];
  const [callRows, textBackRows, [reply]] = await withUserClaims(db, viewer.claims, async (tx) => [
    await tx.query<CallRow>(CALLS_SQL, params),
    await tx.query<TextBackRow>(TEXT_BACKS_SQL, params),
    await tx.query<FirstReplyRow>(FIRST_REPLY_SQL, params),
  ] as const);

  const days = new Map(daysInRange(range).map((day) => [day, emptyDay(day)]));
  const sourceTotals = new Map<string, number>();
  for (const row of callRows) {
    const day = days.get(row.day);
    if (!day) continue;
    day.calls += row.calls;
    day.bySource[row.source] = (day.bySource[row.source] ?? 0) + row.calls;
    day.answered += row.answered;
    day.missed += row.missed;
    day.firstTime += row.first_time;
    day.repeat += row.calls - row.first_time;
    sourceTotals.set(row.source, (sourceTotals.get(row.source) ?? 0) + row.calls);
  }
  for (const row of textBackRows) {
    const day = days.get(row.day);
    if (!day) continue;
    day.textBacksSent += row.sent;
    day.textBacksAnswered += row.answered;
  }

  const dayList = [...days.values()];
  const sources = [...sourceTotals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([source]) => source);
  const sum = (pick: (day: ReportDay) => number) => dayList.reduce((total, day) => total + pick(day), 0);
  return {
    range,
    clientIds,
    sources,
    days: dayList,
    totals: {
      calls: sum((d) => d.calls),
      bySource: Object.fromEntries(sources.map((source) => [source, sourceTotals.get(source)!])),
      answered: sum((d) => d.answered),
      missed: sum((d) => d.missed),
      firstTime: sum((d) => d.firstTime),
      repeat: sum((d) => d.repeat),
      textBacksSent: sum((d) => d.textBacksSent),
      textBacksAnswered: sum((d) => d.textBacksAnswered),
    },
    firstReply: {
      leads: reply.leads,
      replied: reply.replied,
      medianSeconds: reply.median === null ? null : Number(reply.median),
      p90Seconds: reply.p90 === null ? null : Number(reply.p90),
      buckets: { under5m: reply.under5m, under1h: reply.under1h, under1d: reply.under1d, later: reply.later, never: reply.leads - reply.replied },
    },
  };
}

function emptyDay(day: string): ReportDay {
  return { day, calls: 0, bySource: {}, answered: 0, missed: 0, firstTime: 0, repeat: 0, textBacksSent: 0, textBacksAnswered: 0 };
}
