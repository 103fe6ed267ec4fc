import type { AirtableSettings } from "../airtable/airtable-base";
import { checkBase } from "../airtable/check-base";
import { AIRTABLE_WEBHOOK_PATH } from "../airtable/refresh-airtable-webhooks";
import { SYNC_EVERY_MS_WITH_WEBHOOK } from "../airtable/scheduled-sync-turn";
import type { Queryable } from "../db/database";
import { note, ok, problem, type Finding } from "./finding";

const CHECK = "airtable";
// Twice the longest gap between syncs (hourly with a live webhook): past this the scheduler has
// stopped calling the sync, or every run fails.
const SYNC_LATE_MS = 2 * SYNC_EVERY_MS_WITH_WEBHOOK;

/** The base's tables and fields (what npm run airtable:check says), in the doctor's words. */
export async function checkAirtableBase(settings: AirtableSettings): Promise<Finding[]> {
  const problems = await checkBase(settings);
  if (problems.length === 0) return [ok(CHECK, `base ${settings.baseId} has "${settings.configTable}" and "${settings.leadsTable}" with every field Leadline needs`)];
  return problems.map((line) => problem(CHECK, line));
}

/**
 * From the database: whether the config has been synced lately (the scheduler calls
 * /api/cron/sync-config with the bearer), and whether Airtable's webhooks are live, which decides
 * whether syncs run every 5 minutes or hourly.
 */
export async function checkAirtableSync(db: Queryable, publicBaseUrl: string): Promise<Finding[]> {
  const [sync] = await db.query<{ synced_at: Date | null; late: boolean }>(
    `select synced_at, synced_at < now() - $1 * interval '1 millisecond' as late
       from internal.airtable_syncs where part = 'config' order by synced_at desc nulls last limit 1`,
    [SYNC_LATE_MS],
  );
  const hooks = await db.query<{ watches: string; expires_at: Date }>(
    `select watches, expires_at from internal.airtable_webhooks where notification_url = $1 and expires_at > now() order by watches`,
    [publicBaseUrl + AIRTABLE_WEBHOOK_PATH],
  );
  const findings: Finding[] = [];
  if (!sync?.synced_at || sync.late) {
    findings.push(
      problem(
        CHECK,
        `${sync?.synced_at ? `The config was last synced from Airtable at ${sync.synced_at.toISOString()}` : "The config has never been synced from Airtable"}: ` +
          "nothing is calling GET /api/cron/sync-config with Authorization: Bearer $CRON_SECRET, or every run fails. See the README's scheduled jobs.",
      ),
    );
  }
  const parts = new Set(hooks.map((hook) => hook.watches));
  if (parts.has("config") && parts.has("statuses")) {
    const until = hooks.map((hook) => hook.expires_at).sort((a, b) => a.getTime() - b.getTime())[0];
    findings.push(ok(CHECK, `webhooks live until ${until.toISOString()}: changes arrive by ping, and the periodic sync runs hourly${sync?.synced_at && !sync.late ? ` (last ${sync.synced_at.toISOString()})` : ""}`));
  } else {
    findings.push(
      note(
        CHECK,
        `no live webhook on ${parts.has("config") ? "the Lead Pipeline's Status" : parts.has("statuses") ? "the config table" : "the config table or the Lead Pipeline's Status"}, so that part is synced on every run (every 5 minutes on Vercel). ` +
          "Run npm run airtable:webhook, or call /api/cron/airtable-webhook once; npm run airtable:budget shows what it saves.",
      ),
    );
  }
  return findings;
}
