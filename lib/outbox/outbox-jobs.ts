import type { Queryable } from "../db/database";

export type ClaimedJob = { id: number; lead_id: string | null; attempts: number };

export const MAX_ATTEMPTS = 8;
const CLAIM_MS = 120_000;

/**
 * Claims due jobs for one drainer, oldest due first (on the pending-jobs index, so delivered jobs
 * piling up cost nothing). SKIP LOCKED and the claim expiry keep two drainers off the same job; a
 * drainer that dies lets its jobs go when the claim expires.
 */
export async function claimDueJobs(db: Queryable, limit: number): Promise<ClaimedJob[]> {
  return db.query<ClaimedJob>(
    `update internal.outbox o set claimed_until = now() + $2 * interval '1 millisecond'
      where o.id in (
        select id from internal.outbox
         where status = 'pending' and run_after <= now() and (claimed_until is null or claimed_until < now())
         order by run_after
         limit $1
         for update skip locked)
      returning o.id::int as id, o.lead_id, o.attempts`,
    [limit, CLAIM_MS],
  );
}

export async function markDelivered(db: Queryable, jobIds: number[]): Promise<void> {
  await db.query(
    `update internal.outbox set status = 'delivered', delivered_at = now(), claimed_until = null, last_error = null
      where id = any($1::bigint[])`,
    [jobIds],
  );
}

/**
 * Hands jobs back without using an attempt, due again `afterMs` from now: the base is paused or the
 * round ran out of time, which is not the jobs' fault. The reason, if any, is shown as last_error.
 */
export async function postponeJobs(db: Queryable, jobIds: number[], afterMs: number, reason?: string): Promise<void> {
  await db.query(
    `update internal.outbox set claimed_until = null, run_after = now() + $2 * interval '1 millisecond',
            last_error = coalesce($3, last_error)
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
            claimed_until = null,
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
    `update internal.outbox set status = 'pending', attempts = 0, run_after = now(), claimed_until = null
      where status = 'dead' and ($1::bigint[] is null or id = any($1::bigint[]))
      returning id`,
    [jobIds ?? null],
  );
  return retried.length;
}
