import { countTrackingRequest } from "./count-tracking-request";
import { LEASE_SECONDS } from "./tracking-limits";
import type { TrackHeartbeat } from "./tracking-requests";
import type { TrackingCall, TrackingOutcome } from "./tracking-route";

/**
 * The heartbeat: counts the request against its address's rate limit, then
 * (internal.keep_tracking_number) extends the visitor's lease on the number to 30 minutes from now,
 * if the visitor still holds it. `held: false` tells the script to ask for a new session.
 */
export async function keepTrackingNumber({ db, site, body, ip }: TrackingCall<TrackHeartbeat>): Promise<TrackingOutcome<{ held: boolean }>> {
  const refused = await countTrackingRequest(db, ip);
  if (refused) return refused;
  const [kept] = await db.query<{ held: boolean }>("select internal.keep_tracking_number($1, $2, $3, $4) as held", [
    site.clientId,
    body.visitor,
    body.number,
    LEASE_SECONDS,
  ]);
  return { answer: { held: kept.held } };
}
