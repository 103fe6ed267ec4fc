import type { Queryable } from "../db/database";

export type AirtableHealth = { ok: boolean; pausedUntil: Date | null; planLimitedUntil: Date | null };

/**
 * Whether the app may talk to Airtable right now, over every base: the latest pause still running
 * (a 429, an outage, the plan limit) and the latest plan-limit pause among them. Both are null, and
 * `ok` true, when no base is paused.
 */
export async function readAirtableHealth(db: Queryable): Promise<AirtableHealth> {
  const [pace] = await db.query<{ paused_until: Date | null; plan_limited_until: Date | null }>(
    `select max(paused_until) filter (where paused_until > now()) as paused_until,
            max(plan_limited_until) filter (where plan_limited_until > now()) as plan_limited_until
       from internal.airtable_pace`,
  );
  return { ok: pace.paused_until === null && pace.plan_limited_until === null, pausedUntil: pace.paused_until, planLimitedUntil: pace.plan_limited_until };
}
