import type { Database } from "../db/database";
import { withUserClaims } from "../db/with-user-claims";
import type { Viewer } from "../auth/viewer";
import { visibleClientIds } from "../inbox/visible-client-ids";
import { peakOverlap } from "./peak-overlap";
import { rangeBounds, type ReportRange } from "./report-range";

/** A pool at its busiest should be at most this full, so a new visitor still finds a free number. */
export const TARGET_POOL_USE = 0.75;
/** How long a visitor who found the pool full counts as still wanting a number: a lease's life. */
export const EXHAUSTED_DEMAND_MINUTES = 30;

export type PoolHealth = {
  clientId: string;
  clientName: string;
  /** The pool's Source, as most of its rows spell it ("Website" for an empty one). */
  source: string;
  /** Its active Pool rows. */
  size: number;
  /** The most leases held at once during the range. */
  peakLeases: number;
  /** Visitors who found every number taken during the range. */
  exhaustions: number;
  /** The most visitors wanting a number at once: leases held plus visitors turned away in the 30 minutes before. */
  peakDemand: number;
  /** ceil(peakDemand / TARGET_POOL_USE); null when nobody wanted a number in the range. */
  suggestedSize: number | null;
};

// Pools are a client's active Pool rows grouped by Source as the tracking script matches it (any
// case; empty is the catch-all "Website"). The database hands over the spans that make up demand,
// in microseconds since the range began: each lease from leased_at to expires_at, each visitor who
// found the pool full from then for 30 minutes; peakOverlap() sweeps them (sorting some tens of
// thousands of numbers is cheaper in the app than through a window function). The leases in play
// are those begun in the range, read number by number down its own index (offset 0 keeps the
// planner from scanning every lease of the client once per pool instead), and, per number, the one
// it was under when the range began: one number's leases never overlap, so that is the last one
// begun before.
const POOL_KEY = (source: string) => `coalesce(nullif(lower(btrim(${source})), ''), 'website')`;
// date_part gives float8, cheaper to turn to text by the ten thousand than extract's numeric.
const MICROS = (at: string) => `(date_part('epoch', ${at} - $2::timestamptz) * 1000000)::bigint::text`;

const POOL_HEALTH_SQL = `
  with pools as (
    select t.client_id, k.name as client_name, ${POOL_KEY("t.source")} as pool_key,
           mode() within group (order by coalesce(nullif(btrim(t.source), ''), 'Website')) as source,
           count(*)::int as size, array_agg(t.phone_number) as numbers
      from public.tracking_numbers t
      join public.clients k on k.id = t.client_id
     where ($1::text[] is null or t.client_id = any($1::text[])) and t.number_type = 'Pool' and t.active
     group by t.client_id, k.name, ${POOL_KEY("t.source")}
  )
  select p.client_id, p.client_name, p.source, p.size, x.exhaustions,
         l.starts as lease_starts, l.ends as lease_ends, x.starts as exhaustion_starts, x.ends as exhaustion_ends
    from pools p
    cross join lateral (
      select string_agg(${MICROS("s.starts")}, ',') as starts, string_agg(${MICROS("s.ends")}, ',') as ends
        from (
          select vl.leased_at as starts, greatest(vl.expires_at, vl.leased_at) as ends
            from unnest(p.numbers) as n (phone_number)
            cross join lateral (
              select vl.client_id, vl.leased_at, vl.expires_at from public.visit_leases vl
               where vl.tracking_number = n.phone_number and vl.leased_at >= $2 and vl.leased_at < $3
              offset 0
            ) vl
           where vl.client_id = p.client_id
          union all
          select $2::timestamptz, held.expires_at
            from unnest(p.numbers) as n (phone_number)
            cross join lateral (
              select vl.client_id, vl.expires_at from public.visit_leases vl
               where vl.tracking_number = n.phone_number and vl.leased_at < $2
               order by vl.leased_at desc limit 1
            ) held
           where held.client_id = p.client_id and held.expires_at > $2
        ) s
    ) l
    cross join lateral (
      select count(*) filter (where e.occurred_at >= $2)::int as exhaustions,
             string_agg(${MICROS("greatest(e.occurred_at, $2::timestamptz)")}, ',') as starts,
             string_agg(${MICROS(`e.occurred_at + interval '${EXHAUSTED_DEMAND_MINUTES} minutes'`)}, ',') as ends
        from public.pool_exhaustions e
       where e.client_id = p.client_id and ${POOL_KEY("e.source")} = p.pool_key and e.occurred_at >= $4 and e.occurred_at < $3
    ) x
   order by p.client_name, p.client_id, p.source`;

type PoolRow = {
  client_id: string;
  client_name: string;
  source: string;
  size: number;
  exhaustions: number;
  lease_starts: string | null;
  lease_ends: string | null;
  exhaustion_starts: string | null;
  exhaustion_ends: string | null;
};

function instants(list: string | null): Float64Array {
  if (!list) return new Float64Array(0);
  const items = list.split(",");
  const parsed = new Float64Array(items.length);
  for (let i = 0; i < items.length; i++) parsed[i] = Number(items[i]);
  return parsed;
}

function joined(a: Float64Array, b: Float64Array): Float64Array {
  const both = new Float64Array(a.length + b.length);
  both.set(a);
  both.set(b, a.length);
  return both;
}

/**
 * How each number pool the viewer may see coped during the range: its size, the most leases held
 * at once, the visitors who found it full, and the size that would have kept it at most
 * TARGET_POOL_USE full at its busiest. Runs under the viewer's claims, so RLS decides which pools.
 */
export async function readPoolHealth(db: Database, viewer: Viewer, range: ReportRange): Promise<PoolHealth[]> {
  const clientIds = visibleClientIds(viewer, range.client ?? undefined);
  const { start, end } = rangeBounds(range);
  const demandReachesRangeFrom = new Date(Date.parse(start) - EXHAUSTED_DEMAND_MINUTES * 60_000).toISOString();
  const rows = await withUserClaims(db, viewer.claims, (tx) => tx.query<PoolRow>(POOL_HEALTH_SQL, [clientIds, start, end, demandReachesRangeFrom]));
  return rows.map((row) => {
    const leases = { starts: instants(row.lease_starts), ends: instants(row.lease_ends) };
    const turnedAway = { starts: instants(row.exhaustion_starts), ends: instants(row.exhaustion_ends) };
    const peakDemand = peakOverlap(joined(leases.starts, turnedAway.starts), joined(leases.ends, turnedAway.ends));
    return {
      clientId: row.client_id,
      clientName: row.client_name,
      source: row.source,
      size: row.size,
      peakLeases: peakOverlap(leases.starts, leases.ends),
      exhaustions: row.exhaustions,
      peakDemand,
      suggestedSize: peakDemand > 0 ? Math.ceil(peakDemand / TARGET_POOL_USE) : null,
    };
  });
}
