// npm run outbox -- dead            lists the Lead Pipeline jobs that stopped trying, with their last error
// npm run outbox -- retry [id ...]  gives them (all, or the ones named) a fresh start
// Uses DATABASE_URL, or the embedded database while the server is stopped.
import path from "node:path";
import { serverEnv } from "../lib/env";
import { openEmbeddedDatabase } from "../lib/db/open-embedded-database";
import { openPostgresDatabase } from "../lib/db/open-postgres-database";
import { listDeadJobs, retryDeadJobs } from "../lib/outbox/outbox-jobs";

async function main(): Promise<void> {
  const [command, ...ids] = process.argv.slice(2);
  if (command !== "dead" && command !== "retry") {
    console.error("usage: npm run outbox -- dead | retry [job id ...]");
    process.exit(2);
  }
  const env = serverEnv();
  const db = env.databaseUrl ? openPostgresDatabase(env.databaseUrl, { deadlineMs: 0, max: 1 }) : await openEmbeddedDatabase(path.resolve(env.dataDir, "pglite"));
  try {
    if (command === "dead") {
      const dead = await listDeadJobs(db);
      if (dead.length === 0) console.log("No dead jobs: every lead update was delivered or is still being tried.");
      for (const job of dead) console.log(`${job.id}\t${job.lead_key ?? "(lead deleted)"}\t${job.attempts} attempts\t${job.last_error ?? ""}`);
    } else {
      const jobIds = ids.map(Number).filter((id) => Number.isInteger(id) && id > 0);
      const retried = await retryDeadJobs(db, jobIds.length ? jobIds : undefined);
      console.log(`${retried} job${retried === 1 ? "" : "s"} will be tried again on the next drain.`);
    }
  } finally {
    await db.close();
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
