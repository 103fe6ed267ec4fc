import type { Queryable } from "../db/database";

/**
 * Writes one number-days entry for each UTC day each tracking number was held by a client, up to
 * and including today, from the periods the database keeps as numbers become active and inactive
 * (internal.number_holdings). A day counts when the number was active at any moment of it. Each
 * period remembers the last day written, so a run writes only the days since, and a run missed
 * (or a number released between runs) loses no day. Safe to run at once from many instances.
 * Returns how many entries were written.
 */
export async function accrueNumberDays(db: Queryable, now: Date): Promise<number> {
  const [{ written }] = await db.query<{ written: number }>(
    `with held as (
       select h.id, h.tracking_number, h.client_id,
              greatest((h.held_from at time zone 'UTC')::date, h.accrued_through + 1) as first_day,
              (coalesce(h.held_until, $1::timestamptz) at time zone 'UTC')::date as last_day
         from internal.number_holdings h
        where h.accrued_through is null or h.accrued_through < (coalesce(h.held_until, $1::timestamptz) at time zone 'UTC')::date
     ), due as (
       select held.id, held.tracking_number, held.client_id, day::date as day
         from held, generate_series(held.first_day, held.last_day, interval '1 day') as day
     ), written as (
       insert into public.usage_events (client_id, kind, quantity, tracking_number, held_on, occurred_at)
       select client_id, 'number_days', 1, tracking_number, day, day::timestamp at time zone 'UTC' from due
       on conflict (tracking_number, held_on) where kind = 'number_days' do nothing
       returning 1
     ), advanced as (
       update internal.number_holdings h set accrued_through = held.last_day
         from held where h.id = held.id and held.first_day <= held.last_day
     )
     select count(*)::int as written from written`,
    [now.toISOString()],
  );
  return written;
}
