import type { Queryable } from "../db/database";
import { CLICK_IDS } from "./script/capture-touch";
import { countTrackingRequest } from "./count-tracking-request";
import { LEASE_SECONDS } from "./tracking-limits";
import type { Touch } from "./tracking-requests";

export type TakenNumber =
  | { retryAfterSeconds: number }
  | { visitId: string; leasedNumber?: string; poolExhausted: boolean };


/**
 * Counts the request against its address's rate limit, then, in one transaction
 * (internal.take_tracking_number), records the visit with its touch and, when `pool` has numbers,
 * leases the visitor one of them (its own first) or records the pool as exhausted.
 */
export async function takeTrackingNumber(
  db: Queryable,
  request: { clientId: string; visitorId: string; touch: Touch; source: string; pool: string[]; poolSource: string; ip: string },
): Promise<TakenNumber> {
  const { touch } = request;
  const clickIdType = CLICK_IDS.find((name) => touch[name]);
  const visit = {
    source: request.source,
    medium: touch.medium,
    campaign: touch.campaign,
    term: touch.term,
    content: touch.content,
    click_id: clickIdType && touch[clickIdType],
    click_id_type: clickIdType,
    referrer: touch.referrer,
    landing_page: touch.landing,
    touched_at: new Date(touch.at).toISOString(),
  };
  const refused = await countTrackingRequest(db, request.ip);
  if (refused) return refused;
  const [taken] = await db.query<{ visit: string; leased_number: string | null; pool_exhausted: boolean }>(
    "select * from internal.take_tracking_number($1, $2, $3, $4, $5, $6)",
    [request.clientId, request.visitorId, JSON.stringify(visit), request.pool, request.poolSource, LEASE_SECONDS],
  );
  return { visitId: taken.visit, leasedNumber: taken.leased_number ?? undefined, poolExhausted: taken.pool_exhausted };
}
