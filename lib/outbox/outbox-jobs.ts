import { randomUUID } from "node:crypto";
import type { Queryable } from "../db/database";

export type ClaimedJob = { id: number; lead_id: string; attempts: number };
/** Leads one drainer holds, under its own id, with their due jobs. */
export type LeadClaim = { claimant: string; leadIds: string[]; jobs: ClaimedJob[] };

export const MAX_ATTEMPTS = 8;
/** How long a claimed lead stays with its drainer; one that dies lets its leads go after this. */
export const LEAD_CLAIM_MS = 120_000;

/**
 * Claims up to `leadLimit` leads with due jobs for one drainer under a fresh id, leads due longest
 * first, with every due job of those leads. One statement claims: two drainers proposing the same
 * lead serialise on its key, and the second finds the first's claim and gets nothing, so a lead is
 * never in flight twice however many instances drain. A claim whose time ran out (its drainer
 * died) is taken over. Jobs enqueued for a lead after its claim wait for the next round.
 */
export async function claimDueJobs(db: Queryable, leadLimit: number): Promise<LeadClaim> {
  const claimant = randomUUID();
  for (;;) {
    const [{ proposed, lead_ids: leadIds }] = await db.query<{ proposed: number; lead_ids: string[] }>(
      `with candidates as (
         select o.lead_id from internal.outbox o
          where o.status = 'pending' and o.run_after <= now() and o.lead_id is not null
            and not exists (select 1 from internal.outbox_lead_claims held where held.lead_id = o.lead_id and held.claimed_until >= now())
          group by o.lead_id
          order by min(o.run_after), o.lead_id
          limit $1
       ), claimed as (
         insert into internal.outbox_lead_claims as claim (lead_id, claimed_by, claimed_until)
         select lead_id, $2, now() + $3 * interval '1 millisecond' from candidates
         on conflict (lead_id) do update set claimed_by = excluded.claimed_by, claimed_until = excluded.claimed_until
           where claim.claimed_until < now()
         returning claim.lead_id
       )
       select (select count(*)::int from candidates) as proposed, array(select lead_id::text from claimed) as lead_ids`,
      [leadLimit, claimant, LEAD_CLAIM_MS],
    );
    // Every lead proposed went to drainers that claimed at the same moment: look again past them.
    // Each pass that comes back empty-handed means others took those leads, so this ends.
    if (leadIds.length === 0 && proposed > 0) continue;
    if (leadIds.length === 0) return { claimant, leadIds, jobs: [] };
    const jobs = await db.query<ClaimedJob>(
      `select id::int as id, lead_id, attempts from internal.outbox
        where status = 'pending' and run_after <= now() and lead_id = any($1::uuid[])
        order by id`,
      [leadIds],
    );
    return { claimant, leadIds, jobs };
  }
}

/** Lets leads go, if `claimant` still holds them: one whose claim ran out may be someone else's now. */
export async function releaseLeads(db: Queryable, leadIds: string[], claimant: string): Promise<void> {
  await db.query("delete from internal.outbox_lead_claims where lead_id = any($1::uuid[]) and claimed_by = $2", [leadIds, claimant]);
}

export async function markDelivered(db: Queryable, jobIds: number[]): Promise<void> {
  await db.query("update internal.outbox set status = 'delivered', delivered_at = now(), last_error = null where id = any($1::bigint[])", [jobIds]);
}

/**
 * Hands jobs back without using an attempt, due again `afterMs` from now: the base is paused or the
 * round ran out of time, which is not the jobs' fault. The reason, if any, is shown as last_error.
 */
export async function postponeJobs(db: Queryable, jobIds: number[], afterMs: number, reason?: string): Promise<void> {
  await db.query(
    `update internal.outbox set run_after = now() + $2 * interval '1 millisecond', last_error = coalesce($3, last_error)
      where id = any($1::bigint[])`,
    [jobIds, afterMs, reason?.slice(0, 2000) ?? null],
  );
}

/**
 * Records a failed attempt: the job is retried after an exponential backoff with jitter, and goes
 * dead, keeping its last error, once it has failed MAX_ATTEMPTS times.
 */
export async function recordFailedAttempt(db: Queryable, jobIds: number[], error: string): Promise<void> {
  await db.query(
    `update internal.outbox
        set attempts = attempts + 1,
            last_error = $2,
            status = case when attempts + 1 >= $3 then 'dead' else 'pending' end,
            run_after = now() + least(300, power(2, attempts)) * (0.5 + random()) * interval '1 second'
      where id = any($1::bigint[])`,
    [jobIds, error.slice(0, 2000), MAX_ATTEMPTS],
  );
}

export type DeadJob = { id: number; lead_key: string | null; attempts: number; last_error: string | null; created_at: Date };

/** The jobs that stopped trying, with why: what `npm run outbox -- dead` shows. */
export async function listDeadJobs(db: Queryable): Promise<DeadJob[]> {
  return db.query<DeadJob>(
    `select o.id::int as id, l.lead_key, o.attempts, o.last_error, o.created_at
       from internal.outbox o left join public.leads l on l.id = o.lead_id
      where o.status = 'dead'
      order by o.id`,
  );
}

/** Gives dead jobs (all, or the ones named) a fresh start, for the retry button. */
export async function retryDeadJobs(db: Queryable, jobIds?: number[]): Promise<number> {
  const retried = await db.query(
    `update internal.outbox set status = 'pending', attempts = 0, run_after = now()
      where status = 'dead' and ($1::bigint[] is null or id = any($1::bigint[]))
      returning id`,
    [jobIds ?? null],
  );
  return retried.length;
}
