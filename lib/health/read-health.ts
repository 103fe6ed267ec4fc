import { readAirtableHealth } from "../airtable/read-airtable-health";
import { DatabaseUnavailableError, type Database } from "../db/database";
import { getDatabase } from "../db/get-database";
import { serverEnv } from "../env";
import { readLastReconcileRun } from "../reconcile/reconcile-runs";

// Past this, leads are not reaching the agency's pipeline: an uptime monitor should page someone.
export const OUTBOX_BEHIND_SECONDS = 15 * 60;
// A text-back still pending or sending after this is stuck (the sweep retries or fails it).
const TEXT_BACK_STUCK_MINUTES = 5;

export type Health = {
  ok: boolean;
  database: { status: "ok" | "down"; kind: "embedded" | "server" };
  /** When the routing snapshot was last written from Airtable (a sync or a read-through). */
  configSyncedAt: string | null;
  reconciledAt: string | null;
  /** The last finished reconciliation: its window, its counts, and whether it failed (its error stays in the database). */
  reconcile: { window: { from: string; to: string }; counts: Record<string, unknown>; failed: boolean } | null;
  outbox: { pending: number; dead: number; oldestPendingSeconds: number | null };
  airtable: { ok: boolean; pausedUntil: string | null; planLimitedUntil: string | null };
  textBacks: { stuck: number };
};

const iso = (value: Date | null | undefined) => (value ? value.toISOString() : null);

/** What an uptime monitor needs, in one answer; counts and times only, never a number or a secret. */
export async function readHealth(): Promise<Health> {
  try {
    return await readFrom(await getDatabase());
  } catch (error) {
    if (!(error instanceof DatabaseUnavailableError)) throw error;
    return {
      ok: false,
      database: { status: "down", kind: serverEnv().databaseUrl ? "server" : "embedded" },
      configSyncedAt: null,
      reconciledAt: null,
      reconcile: null,
      outbox: { pending: 0, dead: 0, oldestPendingSeconds: null },
      airtable: { ok: false, pausedUntil: null, planLimitedUntil: null },
      textBacks: { stuck: 0 },
    };
  }
}

async function readFrom(db: Database): Promise<Health> {
  const [state] = await db.query<{ synced_at: Date | null; pending: number; dead: number; oldest_pending_seconds: number | null; stuck: number }>(
    `select (select max(synced_at) from public.tracking_numbers) as synced_at,
            (select count(*)::int from internal.outbox where status = 'pending') as pending,
            (select count(*)::int from internal.outbox where status = 'dead') as dead,
            (select extract(epoch from now() - min(created_at))::int from internal.outbox where status = 'pending') as oldest_pending_seconds,
            (select count(*)::int from internal.text_backs
              where status in ('pending', 'sending') and updated_at < now() - $1 * interval '1 minute') as stuck`,
    [TEXT_BACK_STUCK_MINUTES],
  );
  const airtable = await readAirtableHealth(db);
  const run = await readLastReconcileRun(db);
  // Without Airtable the jobs wait on purpose, to be delivered once it is configured.
  const behind = serverEnv().airtable !== undefined && (state.oldest_pending_seconds ?? 0) > OUTBOX_BEHIND_SECONDS;
  return {
    ok: !behind,
    database: { status: "ok", kind: db.kind === "postgres" ? "server" : "embedded" },
    configSyncedAt: iso(state.synced_at),
    reconciledAt: iso(run?.finishedAt),
    reconcile: run ? { window: { from: run.windowStart.toISOString(), to: run.windowEnd.toISOString() }, counts: run.counts, failed: run.error !== null } : null,
    outbox: { pending: state.pending, dead: state.dead, oldestPendingSeconds: state.oldest_pending_seconds },
    airtable: { ok: airtable.ok, pausedUntil: iso(airtable.pausedUntil), planLimitedUntil: iso(airtable.planLimitedUntil) },
    textBacks: { stuck: state.stuck },
  };
}
