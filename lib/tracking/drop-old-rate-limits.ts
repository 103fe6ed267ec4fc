import type { Queryable } from "../db/database";

/**
 * Deletes the tracking endpoints' rate-limit windows that ended more than a minute ago (the
 * previous one is left to a job that runs just as the minute turns); returns how many.
 */
export async function dropOldRateLimits(db: Queryable): Promise<number> {
  const dropped = await db.query("delete from internal.rate_limits where window_start < date_trunc('minute', now()) - interval '1 minute' returning key");
  return dropped.length;
}
