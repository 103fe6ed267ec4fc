import type { Queryable } from "../db/database";

// A lead is news for an hour: an alert not sent by then is dropped, and a phone that is off longer
// gets the inbox, not a stale push.
export const NEW_LEAD_NEWS_SECONDS = 3600;

/**
 * Deletes new-lead alerts older than an hour, unsent. Every new lead writes one, push on or off,
 * and with push off nothing else takes them: this keeps the table small.
 */
export async function dropStalePushAlerts(db: Queryable): Promise<number> {
  const dropped = await db.query("delete from internal.push_alerts where created_at < now() - make_interval(secs => $1) returning lead_id", [
    NEW_LEAD_NEWS_SECONDS,
  ]);
  return dropped.length;
}
