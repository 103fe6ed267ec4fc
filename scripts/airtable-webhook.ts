// npm run airtable:webhook: asks Airtable to ping this deployment when the Client Configuration table
// changes, or refreshes that webhook (they expire after 7 days: schedule this daily). Needs
// DATABASE_URL, where the webhook's secret is kept, and PUBLIC_BASE_URL, where Airtable will ping.
import { closeDatabase, getDatabase } from "../lib/db/get-database";
import { describeAccessProblem } from "../lib/airtable/check-base";
import { serverEnv } from "../lib/env";
import { AIRTABLE_WEBHOOK_PATH, registerConfigWebhook } from "../lib/airtable/register-config-webhook";

async function main(): Promise<void> {
  const env = serverEnv();
  if (!env.airtable) throw new Error("Set AIRTABLE_TOKEN and AIRTABLE_BASE_ID first (see .env.example).");
  if (!env.databaseUrl) throw new Error("npm run airtable:webhook needs DATABASE_URL: the webhook's secret is kept there for the server.");
  const settings = env.airtable;
  const outcome = await registerConfigWebhook(await getDatabase(), settings, env.publicBaseUrl).catch((error: unknown) => {
    throw new Error(describeAccessProblem(settings, error));
  });
  console.log(`Airtable webhook ${outcome}: changes to "${env.airtable.configTable}" ping ${env.publicBaseUrl}${AIRTABLE_WEBHOOK_PATH}`);
  await closeDatabase();
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
