import { LEASE_SECONDS, TRACKING_REQUESTS_PER_MINUTE, trackingRateKey } from "./tracking-limits";
import type { TrackHeartbeat } from "./tracking-requests";
import type { TrackingCall, TrackingOutcome } from "./tracking-route";

/**
 * The heartbeat, one round trip (internal.keep_tracking_number): counts the request against its
 * address's rate limit and extends the visitor's lease on the number to 30 minutes from now, if
 * the visitor still holds it. `held: false` tells the script to ask for a new session.
 */
export async function keepTrackingNumber({ db, site, body, ip }: TrackingCall<TrackHeartbeat>): Promise<TrackingOutcome<{ held: boolean }>> {
  const [kept] = await db.query<{ held: boolean; retry_after_seconds: number | null }>(
    "select * from internal.keep_tracking_number($1, $2, $3, $4, $5, $6)",
    [site.clientId, body.visitor, body.number, trackingRateKey(ip), TRACKING_REQUESTS_PER_MINUTE, LEASE_SECONDS],
  );
  if (kept.retry_after_seconds !== null) return { retryAfterSeconds: kept.retry_after_seconds };
  return { answer: { held: kept.held } };
}
