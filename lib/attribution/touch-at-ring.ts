/** What a call, a text and a lead keep of the visit that brought them: the columns of each table. */
export const TOUCH_COLUMNS = ["visit_id", "source", "medium", "campaign", "term", "click_id", "click_id_type", "landing_page", "referrer"] as const;
export type TouchColumn = (typeof TOUCH_COLUMNS)[number];
export type Touch = Record<TouchColumn, string | null>;

/** A pool number still points at its last holder for this long after the lease ended. */
export const LAST_HOLDER_WINDOW = "30 minutes";

/** SQL expressions, in the statement that uses the fragment, for the contact being attributed. */
export type ContactExpressions = { clientId: string; trackingNumber: string; numberType: string; numberSource: string; at: string };

/**
 * The touch of a call or text that reached `trackingNumber` at `at`, as a join (`join`) and the
 * TOUCH_COLUMNS it yields (`columns`). A Pool number gives the touch of the visit that held it
 * then, else of its last holder within LAST_HOLDER_WINDOW; a Source number, or a pool number
 * nobody held, gives only the row's Source.
 *
 * One number's leases never overlap (a lease is taken only once the previous one has expired, see
 * the tracking migration), so the lease that began last before the contact is the only one that
 * can be its holder or its last holder: one step down an index, however long the number's history.
 * A lease of another client (the number has changed hands) attributes nothing.
 */
export function touchAtRing(contact: ContactExpressions): { join: string; columns: string } {
  const join = `left join lateral (
      select v.id as visit_id, v.source, v.medium, v.campaign, v.term, v.click_id, v.click_id_type, v.landing_page, v.referrer
        from (select vl.visit_id, vl.client_id, vl.expires_at
                from public.visit_leases vl
               where ${contact.numberType} = 'Pool' and vl.tracking_number = ${contact.trackingNumber} and vl.leased_at <= ${contact.at}
               order by vl.leased_at desc
               limit 1) lease
        join public.visits v on v.id = lease.visit_id
       where lease.client_id = ${contact.clientId} and lease.expires_at > ${contact.at} - interval '${LAST_HOLDER_WINDOW}'
    ) touch on true`;
  const columns = TOUCH_COLUMNS.map((column) => (column === "source" ? `coalesce(touch.source, ${contact.numberSource}) as source` : `touch.${column}`));
  return { join, columns: columns.join(", ") };
}
