import type { Queryable } from "../db/database";

/** What a sync copies from Airtable: the Client Configuration table, or one base's pipeline statuses. */
export type SyncPart = "config" | "statuses";

/** While a part's webhook is live, pings bring its changes at once, and the periodic sync is only the floor. */
export const SYNC_EVERY_MS_WITH_WEBHOOK = 60 * 60_000;
// A scheduler fires a little late or early; a sync due within this is run on this tick rather than
// the next one, so "hourly" stays hourly on a 5-minute schedule.
export const SCHEDULER_SLACK_MS = 60_000;
// A run that has not finished by then died (the cron route's maxDuration is 60 s): another may go.
const CLAIM_MS = 2 * 60_000;

export type SyncTurn = { due: true; webhookLive: boolean } | { due: false; reason: string };

/**
 * Whether the periodic sync of one part of a base should talk to Airtable on this run, and if so
 * takes the turn, so two instances or schedulers firing together do the work once. Due when no
 * live webhook (ours, unexpired, pinging this deployment) watches the part, else an hour after the
 * last full sync. Decided in Postgres, by its clock, never by what a process remembers.
 */
export async function claimScheduledSync(db: Queryable, baseId: string, part: SyncPart, notificationUrl: string): Promise<SyncTurn> {
  const [{ live }] = await db.query<{ live: boolean }>(
    `select exists (select 1 from internal.airtable_webhooks
                     where base_id = $1 and watches = $2 and notification_url = $3 and expires_at > now()) as live`,
    [baseId, part, notificationUrl],
  );
  const everyMs = live ? SYNC_EVERY_MS_WITH_WEBHOOK - SCHEDULER_SLACK_MS : 0;
  const claimed = await db.query(
    `insert into internal.airtable_syncs as s (base_id, part, claimed_until) values ($1, $2, now() + $3 * interval '1 millisecond')
     on conflict (base_id, part) do update set claimed_until = excluded.claimed_until
      where (s.claimed_until is null or s.claimed_until < now())
        and (s.synced_at is null or s.synced_at <= now() - $4 * interval '1 millisecond')
     returning 1`,
    [baseId, part, CLAIM_MS, everyMs],
  );
  if (claimed.length > 0) return { due: true, webhookLive: live };
  const [state] = await db.query<{ running: boolean; next_at: Date }>(
    `select claimed_until >= now() as running, synced_at + $3 * interval '1 millisecond' as next_at
       from internal.airtable_syncs where base_id = $1 and part = $2`,
    [baseId, part, SYNC_EVERY_MS_WITH_WEBHOOK],
  );
  return {
    due: false,
    reason: state.running ? "another run is syncing it now" : `its webhook is live: changes arrive by ping, and the next full sync is at ${state.next_at.toISOString()}`,
  };
}

/** Ends the turn claimed above: a full sync that finished restarts the hour; a failed one leaves the next run due. */
export async function finishScheduledSync(db: Queryable, baseId: string, part: SyncPart, outcome: "synced" | "failed"): Promise<void> {
  await db.query(
    `update internal.airtable_syncs set claimed_until = null, synced_at = case when $3 then now() else synced_at end
      where base_id = $1 and part = $2`,
    [baseId, part, outcome === "synced"],
  );
}

/** A full sync a ping started: the next periodic one is due an hour after it. */
export async function recordPingSync(db: Queryable, baseId: string, part: SyncPart): Promise<void> {
  await db.query(
    `insert into internal.airtable_syncs as s (base_id, part, synced_at) values ($1, $2, now())
     on conflict (base_id, part) do update set synced_at = now()`,
    [baseId, part],
  );
}
