import path from "node:path";
import { serverEnv, type ServerEnv } from "../env";
import type { Database } from "./database";
import { migrateDatabase } from "./migrate-database";
import { openEmbeddedDatabase } from "./open-embedded-database";
import { openPostgresDatabase } from "./open-postgres-database";
import { seedDatabase } from "./seed-database";

// On the webhook path a database that hangs must trip fast enough to still answer Twilio.
export const WEBHOOK_DB_DEADLINE_MS = 1000;

const holder = globalThis as typeof globalThis & { __leadlineDatabase?: Promise<Database> };

/** The process's one database: PostgreSQL when DATABASE_URL is set, else the embedded one. */
export function getDatabase(): Promise<Database> {
  holder.__leadlineDatabase ??= openFromEnv(serverEnv()).catch((error) => {
    holder.__leadlineDatabase = undefined;
    throw error;
  });
  return holder.__leadlineDatabase;
}

export async function closeDatabase(): Promise<void> {
  const pending = holder.__leadlineDatabase;
  holder.__leadlineDatabase = undefined;
  if (pending) await (await pending).close();
}

async function openFromEnv(env: ServerEnv): Promise<Database> {
  if (env.databaseUrl) {
    return openPostgresDatabase(env.databaseUrl, { deadlineMs: WEBHOOK_DB_DEADLINE_MS, coolDownMs: 2000 });
  }
  const dataDir = env.dataDir.startsWith("memory://") ? env.dataDir : path.resolve(env.dataDir, "pglite");
  const db = await openEmbeddedDatabase(dataDir);
  await migrateDatabase(db);
  if (env.nodeEnv === "development" || env.demoMode) await seedDatabase(db, { onlyIfEmpty: true });
  return db;
}
