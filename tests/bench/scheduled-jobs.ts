// The scheduled jobs as Vercel Cron calls them (GET with the CRON_SECRET bearer), more often than
// in production so a run finishes in minutes, and the wait until the system has finished what it
// owes: for the fault suite and bench:scale.
import { performance } from "node:perf_hooks";
import { sleep } from "./bench-harness";
import type { Query } from "./count-played-traffic";

// Reconciliation leaves calls that ended within the last 2 minutes to their own callbacks.
const RECONCILE_SETTLE_MS = 2 * 60_000 + 5_000;

export type JobRun = { status: number; body: string };

export type ScheduledJobs = {
  run: (path: string) => Promise<JobRun>;
  /** Runs the outbox and follow-ups jobs every `everySeconds` until stop(). */
  start: () => void;
  stop: () => void;
  /**
   * Lets the system finish what it owes: reconciliation (when asked, once every call up to
   * `reconcileAfter` is old enough for it), due missed calls, text-backs, the pipeline. Returns
   * notes on what happened, and on what was still open after `limitSeconds`.
   */
  settle: (options: { reconcileAfter?: number; limitSeconds: number }) => Promise<string[]>;
};

export function scheduledJobs(options: { serverUrl: () => string; cronSecret: string; everySeconds: number; query: Query }): ScheduledJobs {
  let timer: NodeJS.Timeout | undefined;

  async function run(path: string): Promise<JobRun> {
    try {
      const response = await fetch(`${options.serverUrl()}${path}`, { headers: { authorization: `Bearer ${options.cronSecret}` }, signal: AbortSignal.timeout(120_000) });
      return { status: response.status, body: (await response.text()).slice(0, 300) };
    } catch (error) {
      return { status: 0, body: (error as Error).message };
    }
  }

  return {
    run,
    start() {
      timer = setInterval(() => {
        void run("/api/cron/outbox");
        void run("/api/cron/follow-ups");
      }, options.everySeconds * 1000);
      timer.unref();
    },
    stop: () => clearInterval(timer),
    async settle({ reconcileAfter, limitSeconds }) {
      const notes: string[] = [];
      if (reconcileAfter !== undefined) {
        await sleep(Math.max(0, reconcileAfter + RECONCILE_SETTLE_MS - Date.now()));
        const reconciled = await run("/api/cron/reconcile");
        notes.push(`reconcile ${reconciled.status}: ${reconciled.body}`);
      }
      const stopAt = performance.now() + limitSeconds * 1000;
      for (;;) {
        const [open] = await options.query<{ outbox: number; text_backs: number; due_calls: number }>(
          `select (select count(*)::int from internal.outbox where status = 'pending') as outbox,
                  (select count(*)::int from internal.text_backs where status in ('pending', 'sending')) as text_backs,
                  (select count(*)::int from public.calls where outcome is null and outcome_due_at is not null) as due_calls`,
        );
        if (open.outbox + open.text_backs + open.due_calls === 0) break;
        if (performance.now() > stopAt) {
          notes.push(`still open after ${limitSeconds} s: ${JSON.stringify(open)}`);
          break;
        }
        await sleep(1000);
      }
      return notes;
    },
  };
}
