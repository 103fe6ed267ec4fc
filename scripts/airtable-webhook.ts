// npm run airtable:webhook: asks Airtable to ping this deployment when the Client Configuration table
// or a Lead Pipeline's Status changes, or refreshes those webhooks (they expire after 7 days; the
// daily /api/cron/airtable-webhook does the same). Needs DATABASE_URL, where the webhooks' secrets
// are kept, and PUBLIC_BASE_URL, where Airtable will ping; with the embedded database, call the
// running server's cron route instead.
import { closeDatabase, getDatabase } from "../lib/db/get-database";
import { serverEnv } from "../lib/env";
import type { AirtableSettings } from "../lib/airtable/airtable-base";
import { refreshAirtableWebhooks, type WebhookOutcome } from "../lib/airtable/refresh-airtable-webhooks";

function describe({ baseId, watches, outcome, detail }: WebhookOutcome, settings: AirtableSettings): string {
  const what = watches === "config" ? `"${settings.configTable}" in ${baseId}` : `Status in "${settings.leadsTable}" of ${baseId}`;
  if (outcome === "failed") return `Webhook on ${what} failed: ${detail}`;
  return `Webhook on ${what} ${outcome}${detail ? ` (${detail})` : ""}: changes arrive by ping, and its periodic sync drops to hourly.`;
}

async function main(): Promise<void> {
  const env = serverEnv();
  if (!env.airtable) throw new Error("Set AIRTABLE_TOKEN and AIRTABLE_BASE_ID first (see .env.example).");
  if (!env.databaseUrl) {
    throw new Error(
      "npm run airtable:webhook needs DATABASE_URL: the webhooks' secrets are kept there for the server. With the embedded database, ask the running server instead: " +
        `curl -H "Authorization: Bearer $CRON_SECRET" ${env.publicBaseUrl}/api/cron/airtable-webhook`,
    );
  }
  try {
    const outcomes = await refreshAirtableWebhooks(await getDatabase(), env.airtable, env.publicBaseUrl);
    for (const outcome of outcomes) console.log(describe(outcome, env.airtable));
    if (outcomes.some((outcome) => outcome.outcome === "failed")) process.exitCode = 1;
  } finally {
    await closeDatabase();
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
