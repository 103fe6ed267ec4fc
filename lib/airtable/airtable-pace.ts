import type { Queryable } from "../db/database";

// About 4 requests a second per base, leaving the fifth for config read-through. Airtable counts
// arrivals in a rolling second: with slots exactly 250 ms apart, a request that leaves a little late
// already makes 5 arrivals in one second (measured with two workers). At 280 ms apart, a fifth in
// one second takes more than 120 ms of lateness.
export const PACE_SPACING_MS = 280;
export const RATE_LIMIT_PAUSE_MS = 30_000;

export type PaceSlot = { granted: boolean; waitMs: number };

/**
 * Takes the next request slot for a base, shared by every instance through Postgres, and says how
 * long to wait for it (database time, so app clocks do not matter). A slot further away than
 * `maxWaitMs` (a paused base) is not taken: the caller learns the wait without using up a slot, so
 * callers asking during a pause cannot push the base's next slot ever further out.
 */
export async function takePaceSlot(db: Queryable, baseId: string, options: { maxWaitMs?: number; spacingMs?: number } = {}): Promise<PaceSlot> {
  const spacingMs = options.spacingMs ?? PACE_SPACING_MS;
  const maxWaitMs = options.maxWaitMs ?? 3_600_000;
  const [slot] = await db.query<{ wait_ms: number }>(
    `insert into internal.airtable_pace as p (base_id, next_slot_at, requests)
     values ($1, now() + $2 * interval '1 millisecond', 1)
     on conflict (base_id) do update
       set next_slot_at = greatest(p.next_slot_at, now(), coalesce(p.paused_until, now())) + $2 * interval '1 millisecond',
           requests = p.requests + 1
       where greatest(p.next_slot_at, now(), coalesce(p.paused_until, now())) <= now() + $3 * interval '1 millisecond'
     returning greatest(0, extract(epoch from (p.next_slot_at - $2 * interval '1 millisecond' - now())) * 1000)::int as wait_ms`,
    [baseId, spacingMs, maxWaitMs],
  );
  if (slot) return { granted: true, waitMs: slot.wait_ms };
  const [pace] = await db.query<{ wait_ms: number }>(
    `select greatest(0, extract(epoch from (greatest(next_slot_at, coalesce(paused_until, now())) - now())) * 1000)::int as wait_ms
       from internal.airtable_pace where base_id = $1`,
    [baseId],
  );
  return { granted: false, waitMs: pace.wait_ms };
}

// A request that would leave later than this after its slot asks for another. Six slots in a row
// span 1,400 ms, so six requests in one second then need more than 250 ms of delay on the way too.
export const LATE_SLOT_TOLERANCE_MS = 150;

/**
 * Takes a slot on the base's pace and waits for it; resolves when the request may leave. Postgres
 * reckons the wait in its own time, so a process that stalls after its answer (starved of CPU, a
 * GC pause, a frozen serverless instance) would send late, in the same second as the requests
 * other instances send on time in the next slots. The slot is therefore reckoned from when it was
 * asked for, and a request that would leave more than LATE_SLOT_TOLERANCE_MS after that asks for
 * a new one, as long as `maxWaitMs` from the first ask allows. Not granted: the wait, as from takePaceSlot.
 */
export async function waitForPaceSlot(db: Queryable, baseId: string, options: { maxWaitMs?: number } = {}): Promise<PaceSlot> {
  const maxWaitMs = options.maxWaitMs ?? 3_600_000;
  const started = performance.now();
  for (;;) {
    const asked = performance.now();
    const slot = await takePaceSlot(db, baseId, { maxWaitMs: Math.max(0, maxWaitMs - (asked - started)) });
    if (!slot.granted) return slot;
    if (slot.waitMs > 0) await new Promise((resolve) => setTimeout(resolve, slot.waitMs));
    if (performance.now() - (asked + slot.waitMs) <= LATE_SLOT_TOLERANCE_MS) return slot;
  }
}

/** Waits for the base's next slot like waitForPaceSlot, and refuses in plain words when the base stays paused longer than `maxWaitMs`. */
export async function waitForPaceTurn(db: Queryable, baseId: string, options: { maxWaitMs?: number } = {}): Promise<void> {
  const slot = await waitForPaceSlot(db, baseId, options);
  if (!slot.granted) {
    throw new Error(
      `Airtable base ${baseId} is paused for another ${Math.ceil(slot.waitMs / 60_000)} minutes (rate limited, or over its plan's monthly API calls); try again then.`,
    );
  }
}

/** Airtable answered 429: nothing more goes to that base until its penalty is over. */
export async function pauseBase(db: Queryable, baseId: string, pauseMs = RATE_LIMIT_PAUSE_MS): Promise<void> {
  await db.query(
    `update internal.airtable_pace
        set paused_until = now() + $2 * interval '1 millisecond',
            next_slot_at = greatest(next_slot_at, now() + $2 * interval '1 millisecond'),
            rate_limited = rate_limited + 1
      where base_id = $1`,
    [baseId, pauseMs],
  );
}

const OUTAGE_PAUSE_MS = 2000;
const MAX_OUTAGE_PAUSE_MS = 60_000;

/**
 * Airtable answered 5xx or not at all: the whole base is paused, 2 s after the first failure in a
 * row and twice as long after each next one, up to a minute. Returns the pause.
 */
export async function pauseBaseAfterFailure(db: Queryable, baseId: string): Promise<number> {
  const [paused] = await db.query<{ pause_ms: number }>(
    `update internal.airtable_pace
        set failures = failures + 1,
            paused_until = now() + least($3, $2 * power(2, failures)) * interval '1 millisecond',
            next_slot_at = greatest(next_slot_at, now() + least($3, $2 * power(2, failures)) * interval '1 millisecond')
      where base_id = $1
      returning least($3, $2 * power(2, failures - 1))::int as pause_ms`,
    [baseId, OUTAGE_PAUSE_MS, MAX_OUTAGE_PAUSE_MS],
  );
  return paused?.pause_ms ?? OUTAGE_PAUSE_MS;
}

export type PlanLimitPause = { pauseMs: number; until: Date; newlyLimited: boolean };

const PAUSE_FOR_PLAN_LIMIT = `
  update internal.airtable_pace
     set plan_limited_until = date_trunc('hour', now()) + interval '1 hour',
         paused_until = greatest(paused_until, date_trunc('hour', now()) + interval '1 hour'),
         next_slot_at = greatest(next_slot_at, date_trunc('hour', now()) + interval '1 hour')
   where base_id = $1 and ($2 or plan_limited_until is null)
   returning plan_limited_until as until, (extract(epoch from (plan_limited_until - now())) * 1000)::int as pause_ms`;

/**
 * Airtable answered 429 PUBLIC_API_BILLING_LIMIT_EXCEEDED: the workspace has used its plan's API
 * calls for the month, and waiting 30 s would only earn another refusal. Nothing goes to the base
 * until the start of the next hour, when one request finds out whether it is lifted. `newlyLimited`
 * is true for exactly one caller, across every instance, from the first refusal until Airtable
 * answers again: the one that should say so. Of refusals recorded at once, the row lock lets one
 * change a base not yet limited and re-checks the others against what it wrote.
 */
export async function pauseBaseForPlanLimit(db: Queryable, baseId: string): Promise<PlanLimitPause> {
  const [newly] = await db.query<{ until: Date; pause_ms: number }>(PAUSE_FOR_PLAN_LIMIT, [baseId, false]);
  if (newly) return { pauseMs: newly.pause_ms, until: newly.until, newlyLimited: true };
  const [again] = await db.query<{ until: Date; pause_ms: number }>(PAUSE_FOR_PLAN_LIMIT, [baseId, true]);
  return { pauseMs: again.pause_ms, until: again.until, newlyLimited: false };
}

/** Airtable answered (even with a refusal of the records): the base is neither down nor over its plan. */
export async function recordBaseAnswered(db: Queryable, baseId: string): Promise<void> {
  await db.query(
    "update internal.airtable_pace set failures = 0, plan_limited_until = null where base_id = $1 and (failures > 0 or plan_limited_until is not null)",
    [baseId],
  );
}
