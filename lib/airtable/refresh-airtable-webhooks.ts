import type { Database } from "../db/database";
import { getDatabase } from "../db/get-database";
import { serverEnv } from "../env";
import { pipelineBaseIds } from "../leads/pull-pipeline-statuses";
import type { AirtableSettings } from "./airtable-base";
import { describeAccessProblem } from "./check-base";
import { airtableAdminRequest, listTables, type MetaTable } from "./meta-api";
import { PIPELINE_FIELDS } from "./pipeline-fields";
import type { SyncPart } from "./scheduled-sync-turn";

export const AIRTABLE_WEBHOOK_PATH = "/api/airtable/webhook";

export type WebhookOutcome = { baseId: string; watches: SyncPart; outcome: "refreshed" | "created" | "failed"; detail?: string };

type ListedWebhook = { id: string; notificationUrl: string | null; isHookEnabled?: boolean; areNotificationsEnabled?: boolean };

// Changes people make: by hand, in forms, automations and synced tables. The app's own upserts come
// through the public API and must not ping back, or every delivered lead would cost a status pull.
const STAFF_SOURCES = ["client", "formSubmission", "formPageSubmission", "automation", "sync"];

/**
 * Keeps Airtable pinging this deployment: a webhook on the Client Configuration table, and one on
 * the Lead Pipeline's Status in every pipeline base. One we hold the secret of, enabled and pointing
 * here, is refreshed (they expire 7 days after creation or refresh). Any other (disabled, its pings
 * stopped after failures, lost, or pinging an old address) is deleted and made
 * anew, and the new secret (Airtable shows it once) kept to verify pings. Until a webhook is back,
 * its part is synced every run of the schedule again. Each request takes the base's shared pace.
 */
export async function refreshAirtableWebhooks(db: Database, settings: AirtableSettings, publicBaseUrl: string): Promise<WebhookOutcome[]> {
  const notificationUrl = publicBaseUrl + AIRTABLE_WEBHOOK_PATH;
  const outcomes: WebhookOutcome[] = [];
  for (const baseId of await pipelineBaseIds(db, settings)) {
    const parts: SyncPart[] = baseId === settings.baseId ? ["config", "statuses"] : ["statuses"];
    outcomes.push(...(await refreshBaseWebhooks(db, { ...settings, baseId }, parts, notificationUrl)));
  }
  return outcomes;
}

/** The daily cron's job, in the server, on whichever database it runs (the embedded one too). */
export async function refreshAirtableWebhooksOnSchedule(): Promise<{ webhooks: WebhookOutcome[] } | { skipped: string }> {
  const env = serverEnv();
  if (!env.airtable) return { skipped: "Airtable is not configured" };
  return { webhooks: await refreshAirtableWebhooks(await getDatabase(), env.airtable, env.publicBaseUrl) };
}

async function refreshBaseWebhooks(db: Database, settings: AirtableSettings, parts: SyncPart[], notificationUrl: string): Promise<WebhookOutcome[]> {
  const { baseId } = settings;
  const request = <T>(path: string, body?: unknown, method?: "DELETE") =>
    airtableAdminRequest<T>(settings, `/bases/${baseId}/webhooks${path}`, body, { method, sharedPace: db });
  let listed: ListedWebhook[];
  try {
    listed = (await request<{ webhooks: ListedWebhook[] }>("")).webhooks;
  } catch (error) {
    return parts.map((watches) => ({ baseId, watches, outcome: "failed", detail: describeAccessProblem(settings, error) }));
  }
  let tables: MetaTable[] | undefined;
  const outcomes: WebhookOutcome[] = [];
  for (const watches of parts) {
    const [known] = await db.query<{ webhook_id: string }>("select webhook_id from internal.airtable_webhooks where base_id = $1 and watches = $2", [baseId, watches]);
    const hook = listed.find((candidate) => candidate.id === known?.webhook_id);
    try {
      if (hook && hook.isHookEnabled !== false && hook.areNotificationsEnabled !== false && hook.notificationUrl === notificationUrl) {
        const { expirationTime } = await request<{ expirationTime: string }>(`/${hook.id}/refresh`, {});
        await db.query("update internal.airtable_webhooks set expires_at = $3 where base_id = $1 and watches = $2", [baseId, watches, expirationTime]);
        outcomes.push({ baseId, watches, outcome: "refreshed" });
        continue;
      }
      await db.query("delete from internal.airtable_webhooks where base_id = $1 and watches = $2", [baseId, watches]);
      if (hook) await request(`/${hook.id}`, undefined, "DELETE");
      tables ??= await listTables(settings, db);
      const created = await request<{ id: string; macSecretBase64: string; expirationTime: string }>("", {
        notificationUrl,
        specification: specification(watches, tables, settings),
      });
      await db.query(
        `insert into internal.airtable_webhooks (base_id, watches, webhook_id, mac_secret_base64, notification_url, expires_at)
         values ($1, $2, $3, $4, $5, $6)`,
        [baseId, watches, created.id, created.macSecretBase64, notificationUrl, created.expirationTime],
      );
      outcomes.push({ baseId, watches, outcome: "created", detail: replacedBecause(hook, known) });
    } catch (error) {
      outcomes.push({ baseId, watches, outcome: "failed", detail: error instanceof WebhookSetupError ? error.message : describeAccessProblem(settings, error) });
    }
  }
  return outcomes;
}

class WebhookSetupError extends Error {}

function specification(watches: SyncPart, tables: MetaTable[], settings: AirtableSettings) {
  const name = watches === "config" ? settings.configTable : settings.leadsTable;
  const table = tables.find((candidate) => candidate.name === name);
  if (!table) throw new WebhookSetupError(`Base ${settings.baseId} has no "${name}" table: run npm run airtable:setup first.`);
  if (watches === "config") return { options: { filters: { dataTypes: ["tableData"], recordChangeScope: table.id } } };
  const status = table.fields.find((field) => field.name === PIPELINE_FIELDS.status);
  if (!status) throw new WebhookSetupError(`"${name}" in base ${settings.baseId} has no "${PIPELINE_FIELDS.status}" field: run npm run airtable:setup first.`);
  return {
    options: { filters: { dataTypes: ["tableData"], recordChangeScope: table.id, watchDataInFieldIds: [status.id], fromSources: STAFF_SOURCES } },
  };
}

function replacedBecause(hook: ListedWebhook | undefined, known: { webhook_id: string } | undefined): string | undefined {
  if (hook?.isHookEnabled === false) return "Airtable had disabled the old one";
  if (hook?.areNotificationsEnabled === false) return "Airtable had stopped the old one's pings";
  if (hook) return `the old one pinged ${hook.notificationUrl}`;
  if (known) return "Airtable no longer had the old one";
  return undefined;
}
