// npm run numbers:provision -- --client ID --area-code 512 [--source "Google Ads"] [--pool 3] [--dry-run]
// Buys Twilio numbers for a client, points them at PUBLIC_BASE_URL and adds their Client
// Configuration rows on the base's shared pace (so it needs DATABASE_URL, except for a dry run).
// A number it cannot finish it releases, and it says which.
import { closeDatabase, getDatabase } from "../lib/db/get-database";
import { describeProvisioning } from "../lib/numbers/describe-provisioning";
import { numbersCommandEnv } from "../lib/numbers/numbers-command-env";
import { parseProvisionOptions, PROVISION_USAGE } from "../lib/numbers/provision-options";
import { provisionNumbers } from "../lib/numbers/provision-numbers";

async function main(): Promise<void> {
  const parsed = parseProvisionOptions(process.argv.slice(2));
  if (!parsed.ok) {
    console.error(`${parsed.error}\n\n${PROVISION_USAGE}`);
    process.exit(2);
  }
  const { options } = parsed;
  const { env, client, settings } = numbersCommandEnv("numbers:provision", { publicBaseUrl: true }, process.env);
  if (!options.dryRun && !env.databaseUrl) {
    throw new Error(
      "npm run numbers:provision needs DATABASE_URL: its Airtable writes take turns on the base's shared pace, kept in Postgres, so they never push the base past Airtable's limit. Try --dry-run to see what it would do without it.",
    );
  }
  try {
    const db = options.dryRun ? undefined : await getDatabase();
    const report = await provisionNumbers({ client, settings, db, publicBaseUrl: env.publicBaseUrl }, options);
    console.log(describeProvisioning(report, { publicBaseUrl: env.publicBaseUrl, configTable: settings.configTable }).join("\n"));
    if (report.error) process.exitCode = 1;
  } finally {
    await closeDatabase();
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
