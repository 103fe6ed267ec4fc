// What the tracking scenarios share beyond the app: the client's site, every page's console, the
// Airtable stand-in the app writes the Lead Pipeline to, the cron secret, and (on PostgreSQL) a
// connection to the app's database to read what the server wrote.
import pg from "pg";
import type { AttributionRow } from "../../../lib/inbox/attribution";
import type { AirtableApiStandIn } from "../../support/stand-ins/airtable-api";
import type { LoggedLine } from "./site-page";
import type { TestSite } from "./test-site";
import { ACME_SITE } from "./seeded-tracking";

export type TrackingRun = {
  site: TestSite;
  /** Every console error and uncaught error of every page the scenarios opened, for (f). */
  log: LoggedLine[];
  airtable: AirtableApiStandIn;
  cronSecret: string;
  /** The app's PostgreSQL database; throws on the embedded one, which only the server process can open. */
  db: () => pg.Pool;
};

const query = async <T extends pg.QueryResultRow>(db: pg.Pool, sql: string, params: unknown[] = []) => (await db.query<T>(sql, params)).rows;

/** The database's clock, so rows can be told apart by when the server wrote them. */
export const databaseNow = async (db: pg.Pool): Promise<Date> => (await query<{ now: Date }>(db, "select now()"))[0].now;

/**
 * Ends leases as 30 minutes without a heartbeat would, by moving their expiry just into the past:
 * every current lease of Acme's pool, or only the one on `number`.
 */
export async function expireLeases(db: pg.Pool, number?: string): Promise<number> {
  const rows = await query<{ tracking_number: string }>(
    db,
    `with ended as (
       update public.number_leases set expires_at = now() - interval '1 second'
        where client_id = $1 and expires_at > now() and ($2::text is null or tracking_number = $2)
        returning tracking_number, lease_id)
     , history as (
       update public.visit_leases set expires_at = greatest(leased_at, now() - interval '1 second')
        where id in (select lease_id from ended))
     select tracking_number from ended`,
    [ACME_SITE.client, number ?? null],
  );
  return rows.length;
}

/** The visit the server keeps for a visitor id of Acme's site. */
export async function visitOf(db: pg.Pool, visitorId: string): Promise<{ id: string; source: string } | undefined> {
  return (await query<{ id: string; source: string }>(db, "select id, source from public.visits where client_id = $1 and visitor_id = $2", [ACME_SITE.client, visitorId]))[0];
}

export const exhaustionsSince = (db: pg.Pool, since: Date) =>
  query<{ visitor_id: string | null; source: string }>(
    db,
    `select v.visitor_id, e.source from public.pool_exhaustions e left join public.visits v on v.id = e.visit_id
      where e.client_id = $1 and e.occurred_at >= $2 order by e.id`,
    [ACME_SITE.client, since],
  );

/** A call's or lead's touch columns, and the visit they came from. */
export type Attribution = Omit<AttributionRow, "referrer"> & { visit_id: string | null };
const ATTRIBUTION = "visit_id, source, medium, campaign, term, click_id, click_id_type, landing_page";

export const callAttribution = async (db: pg.Pool, callSid: string) =>
  (await query<Attribution>(db, `select ${ATTRIBUTION} from public.calls where call_sid = $1`, [callSid]))[0];

export const leadAttribution = async (db: pg.Pool, caller: string) =>
  (await query<Attribution>(db, `select ${ATTRIBUTION} from public.leads where client_id = $1 and caller = $2`, [ACME_SITE.client, caller]))[0];
