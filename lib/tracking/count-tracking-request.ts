import type { Queryable } from "../db/database";
import { TRACKING_REQUESTS_PER_MINUTE, trackingRateKey } from "./tracking-limits";

/**
 * Counts a tracking request against its address's limit for this minute, shared by every instance
 * (internal.count_tracking_request). A statement of its own, committed at once: inside the
 * session's transaction the address's row would stay locked until the lease was taken, and every
 * other request from that address, on any instance, would wait for it. Returns the wait when over
 * the limit; a refused request still counts.
 */
export async function countTrackingRequest(db: Queryable, ip: string): Promise<{ retryAfterSeconds: number } | undefined> {
  const [counted] = await db.query<{ retry_after_seconds: number | null }>("select internal.count_tracking_request($1, $2) as retry_after_seconds", [
    trackingRateKey(ip),
    TRACKING_REQUESTS_PER_MINUTE,
  ]);
  return counted.retry_after_seconds === null ? undefined : { retryAfterSeconds: counted.retry_after_seconds };
}
