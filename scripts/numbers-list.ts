// npm run numbers:list: every number on the Twilio account with its client, source and type from
// the Client Configuration rows, and what does not add up: webhooks not pointing at PUBLIC_BASE_URL,
// numbers without a row, rows without a number. Reads Airtable on the base's shared pace when
// DATABASE_URL is set, else a request a second. Exits 1 when something needs a person.
import { closeDatabase, getDatabase } from "../lib/db/get-database";
import { numbersCommandEnv } from "../lib/numbers/numbers-command-env";
import { numbersOverview } from "../lib/numbers/numbers-overview";

async function main(): Promise<void> {
  if (process.argv.length > 2) {
    console.error("usage: npm run numbers:list   (no arguments)");
    process.exit(2);
  }
  const { env, client, settings } = numbersCommandEnv("numbers:list", { publicBaseUrl: true }, process.env);
  try {
    const db = env.databaseUrl ? await getDatabase() : undefined;
    const overview = await numbersOverview({ client, settings, db, publicBaseUrl: env.publicBaseUrl });
    const count = overview.table.length - 1;
    console.log(`${count} number${count === 1 ? "" : "s"} on the Twilio account, webhooks checked against ${env.publicBaseUrl}:`);
    console.log(overview.table.join("\n"));
    if (overview.retired.length > 0) console.log(`Unticked rows of numbers no longer on the account (released): ${overview.retired.join(", ")}`);
    if (overview.problems.length === 0) {
      console.log(`Nothing to fix: every number points at ${env.publicBaseUrl} and has a row, and every ticked row's number is on the account.`);
      return;
    }
    console.log(`Needs attention:\n${overview.problems.map((line) => `- ${line}`).join("\n")}`);
    process.exitCode = 1;
  } finally {
    await closeDatabase();
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
