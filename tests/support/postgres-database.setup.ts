// Gives each test file of the `pg` project its own fresh, migrated database on the PostgreSQL
// server (TEST_POSTGRES_URL, default the local one), through DATABASE_URL.
import { afterAll } from "vitest";
import pg from "pg";
import { closeDatabase } from "@/lib/db/get-database";
import { migrateDatabase } from "@/lib/db/migrate-database";
import { openPostgresDatabase } from "@/lib/db/open-postgres-database";

const serverUrl = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const name = `leadline_test_${process.pid}_${Date.now()}`;

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

await admin(`create database ${name}`);
const url = new URL(serverUrl);
url.pathname = `/${name}`;
process.env.DATABASE_URL = url.toString();

const migrator = openPostgresDatabase(process.env.DATABASE_URL, { deadlineMs: 0, max: 1 });
await migrateDatabase(migrator);
await migrator.close();

afterAll(async () => {
  await closeDatabase();
  await admin(`drop database if exists ${name} with (force)`);
});
