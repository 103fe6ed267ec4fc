import type { Viewer } from "../auth/viewer";
import type { Database } from "../db/database";
import { withUserClaims } from "../db/with-user-claims";
import { usageMonthBounds, type UsageMonth } from "./usage-month";

/** The month's counts, in the order /usage and its CSV show them. */
export const USAGE_COUNTS = [
  // Per call: each parent leg's seconds rounded up to whole minutes on their own, as Twilio bills a leg.
  { key: "inboundMinutes", label: "Inbound minutes" },
  // The forwarded <Dial> legs, rounded up the same way.
  { key: "forwardedMinutes", label: "Forwarded minutes" },
  { key: "smsSegmentsIn", label: "SMS segments in" },
  { key: "smsSegmentsOut", label: "SMS segments out" },
  { key: "mmsIn", label: "MMS in" },
  { key: "mmsOut", label: "MMS out" },
  { key: "numberDays", label: "Number-days" },
] as const;
export type UsageCounts = Record<(typeof USAGE_COUNTS)[number]["key"], number>;

/** One client's month, or (clientId null) every client's: what an invoice line is made of. */
export type UsageLine = UsageCounts & {
  clientId: string | null;
  clientName: string;
  /** The currencies Twilio priced the month's entries in; the cost adds up only when there is one. */
  currencies: string[];
  /** Sum of Twilio's known prices, as an exact decimal ("0.0425"); null when priced in several currencies. */
  cost: string | null;
  /** Calls and texts Twilio has not priced yet, left out of the cost. */
  unpriced: number;
  /** The client's markup in percent ("12.5"); null on the all-clients line. */
  markupPercent: string | null;
  /** cost × (1 + markup%), rounded to cents; on the all-clients line the sum of the clients' totals. */
  invoiceTotal: string | null;
};

export type UsageMonthReport = { month: UsageMonth; clients: UsageLine[]; total: UsageLine };

type LineRow = {
  client_id: string | null;
  client_name: string | null;
  inbound_minutes: number;
  forwarded_minutes: number;
  sms_in: number;
  sms_out: number;
  mms_in: number;
  mms_out: number;
  number_days: number;
  currencies: string[];
  cost: string;
  unpriced: number;
  markup_percent: string | null;
  invoice_total: string;
};

const SUMS = (source: string) => `
  coalesce(sum(${source}.inbound_minutes), 0)::int as inbound_minutes,
  coalesce(sum(${source}.forwarded_minutes), 0)::int as forwarded_minutes,
  coalesce(sum(${source}.sms_in), 0)::int as sms_in,
  coalesce(sum(${source}.sms_out), 0)::int as sms_out,
  coalesce(sum(${source}.mms_in), 0)::int as mms_in,
  coalesce(sum(${source}.mms_out), 0)::int as mms_out,
  coalesce(sum(${source}.number_days), 0)::int as number_days,
  coalesce(sum(${source}.cost), 0) as cost,
  coalesce(sum(${source}.unpriced), 0)::int as unpriced`;

// Each client's entries of the month, summed under the viewer's claims (RLS lets staff alone read
// the ledger and the markups), then the same sums over every client. An entry counts in the month
// its call began, its text was sent or its number-day fell, in UTC.
const USAGE_SQL = `
  with entries as (
    select e.client_id,
           case when e.kind = 'call_seconds' and e.direction = 'inbound' then ceil(e.quantity / 60.0) end as inbound_minutes,
           case when e.kind = 'call_seconds' and e.direction = 'outbound' then ceil(e.quantity / 60.0) end as forwarded_minutes,
           case when e.kind = 'sms_segments' and e.direction = 'inbound' then e.quantity end as sms_in,
           case when e.kind = 'sms_segments' and e.direction = 'outbound' then e.quantity end as sms_out,
           case when e.kind = 'mms_messages' and e.direction = 'inbound' then e.quantity end as mms_in,
           case when e.kind = 'mms_messages' and e.direction = 'outbound' then e.quantity end as mms_out,
           case when e.kind = 'number_days' then 1 end as number_days,
           e.price as cost,
           case when e.kind <> 'number_days' and e.price is null then 1 end as unpriced,
           e.price_unit
      from public.usage_events e
     where e.occurred_at >= $1 and e.occurred_at < $2
  ), per_client as (
    select k.id as client_id, k.name as client_name, coalesce(b.markup_percent, 0) as markup_percent, ${SUMS("e")},
           coalesce(array_agg(distinct e.price_unit) filter (where e.price_unit is not null), '{}') as currencies
      from public.clients k
      left join public.client_billing b on b.client_id = k.id
      left join entries e on e.client_id = k.id
     group by k.id, k.name, b.markup_percent
  ), lines as (
    select client_id, client_name, markup_percent, inbound_minutes, forwarded_minutes, sms_in, sms_out, mms_in, mms_out, number_days,
           cost, unpriced, currencies, round(cost * (1 + markup_percent / 100), 2) as invoice_total
      from per_client
  ), total as (
    select ${SUMS("l")}, coalesce(sum(l.invoice_total), 0) as invoice_total,
           coalesce((select array_agg(distinct c) from lines, unnest(lines.currencies) as c), '{}') as currencies
      from lines l
  ), every_line as (
    select client_id, client_name, markup_percent, inbound_minutes, forwarded_minutes, sms_in, sms_out, mms_in, mms_out, number_days,
           cost, unpriced, currencies, invoice_total
      from lines
    union all
    select null, null, null, inbound_minutes, forwarded_minutes, sms_in, sms_out, mms_in, mms_out, number_days,
           cost, unpriced, currencies, invoice_total
      from total
  )
  select client_id, client_name, trim_scale(markup_percent)::text as markup_percent, inbound_minutes, forwarded_minutes,
         sms_in, sms_out, mms_in, mms_out, number_days, trim_scale(cost)::text as cost, unpriced, currencies, invoice_total::text as invoice_total
    from every_line
   order by client_id is null, client_name, client_id`;

/**
 * The month's usage per client, as agency staff bill it, and every client's together. Runs under
 * the viewer's claims: RLS lets agency staff alone read the ledger and the markups, so a client
 * user would only ever see zeros. The all-clients line sums the same ledger entries.
 */
export async function readUsageMonth(db: Database, viewer: Viewer, month: UsageMonth): Promise<UsageMonthReport> {
  const { start, end } = usageMonthBounds(month);
  const rows = await withUserClaims(db, viewer.claims, (tx) => tx.query<LineRow>(USAGE_SQL, [start, end]));
  const lines = rows.map(toLine);
  return { month, clients: lines.filter((line) => line.clientId !== null), total: lines.find((line) => line.clientId === null)! };
}

function toLine(row: LineRow): UsageLine {
  const single = row.currencies.length <= 1;
  return {
    clientId: row.client_id,
    clientName: row.client_name ?? "All clients",
    inboundMinutes: row.inbound_minutes,
    forwardedMinutes: row.forwarded_minutes,
    smsSegmentsIn: row.sms_in,
    smsSegmentsOut: row.sms_out,
    mmsIn: row.mms_in,
    mmsOut: row.mms_out,
    numberDays: row.number_days,
    currencies: [...row.currencies].sort(),
    cost: single ? row.cost : null,
    unpriced: row.unpriced,
    markupPercent: row.markup_percent,
    invoiceTotal: single ? row.invoice_total : null,
  };
}
