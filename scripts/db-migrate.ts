// npm run db:migrate [-- --seed]: applies supabase/migrations to DATABASE_URL, or to the embedded
// database when the server is not holding it.
import path from "node:path";
import { serverEnv } from "../lib/env";
import { migrateDatabase } from "../lib/db/migrate-database";
import { openEmbeddedDatabase } from "../lib/db/open-embedded-database";
import { openPostgresDatabase } from "../lib/db/open-postgres-database";
import { seedDatabase } from "../lib/db/seed-database";

async function main(): Promise<void> {
  const env = serverEnv();
  const db = env.databaseUrl
    ? openPostgresDatabase(env.databaseUrl, { deadlineMs: 0, max: 1 })
    : await openEmbeddedDatabase(path.resolve(env.dataDir, "pglite"));
  try {
    const applied = await migrateDatabase(db);
    console.log(applied.length ? `applied ${applied.join(", ")}` : "database is up to date");
    if (process.argv.includes("--seed")) {
      const seeded = await seedDatabase(db, { onlyIfEmpty: false });
      if (seeded) console.log("loaded supabase/seed.sql");
    }
  } finally {
    await db.close();
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
