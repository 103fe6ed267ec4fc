// A month's usage summed straight from public.usage_events with no code of the page's: what /usage
// and its CSV must show, per client and for every client together.
import type { Queryable } from "@/lib/db/database";
import type { UsageCounts } from "@/lib/usage/read-usage-month";
import { usageMonthBounds } from "@/lib/usage/usage-month";

export type LedgerSums = UsageCounts & {
  /** Sum of known prices; a number, exact for prices of up to five decimals. */
  cost: number;
  unpriced: number;
  /** cost × (1 + markup%) rounded to cents, in cents; for every client together, the sum of the clients'. */
  invoiceCents: number;
};

export const NO_USAGE: LedgerSums = { inboundMinutes: 0, forwardedMinutes: 0, smsSegmentsIn: 0, smsSegmentsOut: 0, mmsIn: 0, mmsOut: 0, numberDays: 0, cost: 0, unpriced: 0, invoiceCents: 0 };

// Every entry of the month, one row per client (rollup's null client_id row is every client).
const SUMS_SQL = `
  with month as (
    select e.*, coalesce(b.markup_percent, 0) as markup_percent
      from public.usage_events e left join public.client_billing b on b.client_id = e.client_id
     where e.occurred_at >= $1 and e.occurred_at < $2
  ), per_client as (
    select client_id,
           coalesce(sum(ceil(quantity / 60.0)) filter (where kind = 'call_seconds' and direction = 'inbound'), 0)::int as "inboundMinutes",
           coalesce(sum(ceil(quantity / 60.0)) filter (where kind = 'call_seconds' and direction = 'outbound'), 0)::int as "forwardedMinutes",
           coalesce(sum(quantity) filter (where kind = 'sms_segments' and direction = 'inbound'), 0)::int as "smsSegmentsIn",
           coalesce(sum(quantity) filter (where kind = 'sms_segments' and direction = 'outbound'), 0)::int as "smsSegmentsOut",
           coalesce(sum(quantity) filter (where kind = 'mms_messages' and direction = 'inbound'), 0)::int as "mmsIn",
           coalesce(sum(quantity) filter (where kind = 'mms_messages' and direction = 'outbound'), 0)::int as "mmsOut",
           count(*) filter (where kind = 'number_days')::int as "numberDays",
           coalesce(sum(price), 0) as cost,
           count(*) filter (where kind <> 'number_days' and price is null)::int as unpriced,
           (round(coalesce(sum(price), 0) * (1 + max(markup_percent) / 100), 2) * 100)::int as "invoiceCents"
      from month group by client_id
  )
  select client_id, "inboundMinutes", "forwardedMinutes", "smsSegmentsIn", "smsSegmentsOut", "mmsIn", "mmsOut", "numberDays",
         cost::text as cost, unpriced, "invoiceCents"
    from per_client
  union all
  select null, ${["inboundMinutes", "forwardedMinutes", "smsSegmentsIn", "smsSegmentsOut", "mmsIn", "mmsOut", "numberDays"].map((sum) => `coalesce(sum("${sum}"), 0)::int`).join(", ")},
         coalesce(sum(cost), 0)::text, coalesce(sum(unpriced), 0)::int, coalesce(sum("invoiceCents"), 0)::int
    from per_client`;

/** The month's sums per client id, and under null every client's together. */
export async function ledgerSums(db: Queryable, month: string): Promise<Map<string | null, LedgerSums>> {
  const { start, end } = usageMonthBounds(month);
  const rows = await db.query<Omit<LedgerSums, "cost"> & { client_id: string | null; cost: string }>(SUMS_SQL, [start, end]);
  return new Map(rows.map(({ client_id, cost, ...sums }) => [client_id, { ...sums, cost: Number(cost) }]));
}
