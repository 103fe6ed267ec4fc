// npm run worker: for self-hosting, delivers Lead Pipeline jobs to Airtable as they come due, beside
// (or instead of) the after() wake-ups and the cron route. Needs DATABASE_URL: the embedded
// database belongs to the server process alone.
import { closeDatabase } from "../lib/db/get-database";
import { serverEnv } from "../lib/env";
import { drainOutbox } from "../lib/outbox/drain-outbox";

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => (stopping = true));

async function main(): Promise<void> {
  const env = serverEnv();
  if (!env.databaseUrl) throw new Error("npm run worker needs DATABASE_URL; with the embedded database, the server's own drainer delivers the outbox");
  if (!env.airtable) throw new Error("npm run worker needs AIRTABLE_TOKEN and AIRTABLE_BASE_ID: there is nowhere to deliver to");
  console.log(`worker: delivering the outbox to Airtable base ${env.airtable.baseId}`);
  while (!stopping) {
    const summary = await drainOutbox({ maxMs: 30_000 });
    if (summary.rounds > 0) console.log(`worker: ${JSON.stringify(summary)}`);
    else await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  await closeDatabase();
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
