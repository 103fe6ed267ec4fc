import type { Queryable } from "../db/database";

export type ReconcileCounts = {
  /** Inbound calls in Twilio's log for the window. */
  callsSeen: number;
  /** Calls Postgres lacked, now logged with their lead. */
  callsBackfilled: number;
  /** Calls whose answered-or-missed decision was made here: back-filled ones and ones whose outcome write was lost. */
  outcomesSettled: number;
  /** Inbound texts in Twilio's log for the window. */
  textsSeen: number;
  textsBackfilled: number;
  textBacksSent: number;
  /** Missed calls found 30 minutes or more after they ended: logged, never texted. */
  textBacksTooLate: number;
  /** Calls and texts left alone: to no active tracking number, still in progress, a client's own reply, or unreadable. */
  skipped: number;
  /** Usage ledger entries for call legs and texts in Twilio's logs that the webhooks did not record. */
  usageAdded: number;
  /** Ledger entries given Twilio's price: from the window's logs, and looked up one by one for older ones. */
  pricesFilled: number;
  /** Number-days entries written for the days tracking numbers were held. */
  numberDays: number;
};

export type ReconcileRun = {
  id: number;
  startedAt: Date;
  finishedAt: Date | null;
  windowStart: Date;
  windowEnd: Date;
  counts: ReconcileCounts;
  error: string | null;
};

export const emptyReconcileCounts = (): ReconcileCounts => ({
  callsSeen: 0,
  callsBackfilled: 0,
  outcomesSettled: 0,
  textsSeen: 0,
  textsBackfilled: 0,
  textBacksSent: 0,
  textBacksTooLate: 0,
  skipped: 0,
  usageAdded: 0,
  pricesFilled: 0,
  numberDays: 0,
});

// Health only reads the last run; a month of them is plenty to look back on.
const KEEP_RUNS_DAYS = 30;

export async function startReconcileRun(db: Queryable, window: { start: Date; end: Date }): Promise<number> {
  await db.query("delete from internal.reconcile_runs where started_at < now() - $1 * interval '1 day'", [KEEP_RUNS_DAYS]);
  const [run] = await db.query<{ id: number }>(
    `insert into internal.reconcile_runs (started_at, window_start, window_end) values (now(), $1, $2) returning id`,
    [window.start.toISOString(), window.end.toISOString()],
  );
  return Number(run.id);
}

export async function finishReconcileRun(db: Queryable, id: number, counts: ReconcileCounts, error?: string): Promise<void> {
  await db.query(`update internal.reconcile_runs set finished_at = now(), counts = $2, error = $3 where id = $1`, [
    id,
    JSON.stringify(counts),
    error ?? null,
  ]);
}

/** The last run that finished, failed ones included; one still going (or cut off) has nothing to show yet. */
export async function readLastReconcileRun(db: Queryable): Promise<ReconcileRun | undefined> {
  const [run] = await db.query<{
    id: number;
    started_at: Date;
    finished_at: Date | null;
    window_start: Date;
    window_end: Date;
    counts: ReconcileCounts;
    error: string | null;
  }>(
    `select id, started_at, finished_at, window_start, window_end, counts, error
       from internal.reconcile_runs where finished_at is not null
      order by finished_at desc, id desc limit 1`,
  );
  if (!run) return undefined;
  return {
    id: Number(run.id),
    startedAt: run.started_at,
    finishedAt: run.finished_at,
    windowStart: run.window_start,
    windowEnd: run.window_end,
    counts: { ...emptyReconcileCounts(), ...run.counts },
    error: run.error,
  };
}
