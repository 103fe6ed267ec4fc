import type { Database } from "../db/database";
import type { AirtableSettings } from "./airtable-base";
import { airtableAdminRequest, listTables } from "./meta-api";

export const AIRTABLE_WEBHOOK_PATH = "/api/airtable/webhook";

type WebhookList = { webhooks: { id: string; notificationUrl: string }[] };

const webhooksRequest = <T>(settings: AirtableSettings, path: string, body?: unknown) =>
  airtableAdminRequest<T>(settings, `/bases/${settings.baseId}/webhooks${path}`, body);

/**
 * Makes sure Airtable pings us when the Client Configuration table changes. A webhook we still hold
 * the secret of is refreshed (they expire after 7 days); otherwise a new one is created on that
 * table and its secret, shown only once, kept for verifying pings.
 */
export async function registerConfigWebhook(db: Database, settings: AirtableSettings, publicBaseUrl: string): Promise<"created" | "refreshed"> {
  const notificationUrl = publicBaseUrl + AIRTABLE_WEBHOOK_PATH;
  const [known] = await db.query<{ webhook_id: string }>("select webhook_id from internal.airtable_webhooks where base_id = $1", [settings.baseId]);
  const existing = (await webhooksRequest<WebhookList>(settings, "")).webhooks;
  if (known && existing.some((hook) => hook.id === known.webhook_id && hook.notificationUrl === notificationUrl)) {
    const { expirationTime } = await webhooksRequest<{ expirationTime: string }>(settings, `/${known.webhook_id}/refresh`, {});
    await db.query("update internal.airtable_webhooks set expires_at = $2 where base_id = $1", [settings.baseId, expirationTime]);
    return "refreshed";
  }
  const table = (await listTables(settings)).find((candidate) => candidate.name === settings.configTable);
  if (!table) throw new Error(`The base has no "${settings.configTable}" table: run npm run airtable:setup first.`);
  const created = await webhooksRequest<{ id: string; macSecretBase64: string; expirationTime: string }>(settings, "", {
    notificationUrl,
    specification: { options: { filters: { dataTypes: ["tableData"], recordChangeScope: table.id } } },
  });
  await db.query(
    `insert into internal.airtable_webhooks (base_id, webhook_id, mac_secret_base64, notification_url, expires_at)
     values ($1, $2, $3, $4, $5)
     on conflict (base_id) do update set webhook_id = excluded.webhook_id, mac_secret_base64 = excluded.mac_secret_base64,
       notification_url = excluded.notification_url, expires_at = excluded.expires_at`,
    [settings.baseId, created.id, created.macSecretBase64, notificationUrl, created.expirationTime],
  );
  return "created";
}
