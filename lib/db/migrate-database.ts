import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Database } from "./database";

const MIGRATION_FILE = /^(\d{14})_([a-z0-9_]+)\.sql$/;

async function readShim(name: "supabase-roles.sql" | "supabase-auth-shim.sql"): Promise<string> {
  return readFile(path.join(process.cwd(), "lib", "db", name), "utf8");
}

export type Migration = { file: string; version: string; name: string };

/** The files in supabase/migrations, oldest first, with the version each records when applied. */
export async function listMigrations(): Promise<Migration[]> {
  const files = (await readdir(path.join(process.cwd(), "supabase", "migrations"))).filter((file) => MIGRATION_FILE.test(file)).sort();
  return files.map((file) => {
    const [, version, name] = MIGRATION_FILE.exec(file)!;
    return { file, version, name };
  });
}

/**
 * Applies supabase/migrations in order, each once, recording versions where the Supabase CLI
 * does so `supabase db push` and this runner agree. Run it on one connection: a failed
 * migration is rolled back on the connection that began it.
 */
export async function migrateDatabase(db: Database): Promise<string[]> {
  await db.exec(await readShim("supabase-roles.sql"));
  const [{ present }] = await db.query<{ present: boolean }>("select to_regclass('auth.users') is not null as present");
  if (!present) await db.exec(await readShim("supabase-auth-shim.sql"));
  await db.exec(`
    create schema if not exists supabase_migrations;
    create table if not exists supabase_migrations.schema_migrations (version text primary key, statements text[], name text);
  `);

  const rows = await db.query<{ version: string }>("select version from supabase_migrations.schema_migrations");
  const applied = new Set(rows.map((row) => row.version));
  const newlyApplied: string[] = [];

  for (const { file, version, name } of await listMigrations()) {
    if (applied.has(version)) continue;
    const sql = await readFile(path.join(process.cwd(), "supabase", "migrations", file), "utf8");
    try {
      await db.exec(`begin;\n${sql}\n;\ninsert into supabase_migrations.schema_migrations (version, statements, name) values ('${version}', array[${quoteLiteral(sql)}], '${name}');\ncommit;`);
    } catch (error) {
      await db.exec("rollback").catch(() => {});
      throw new Error(`migration ${file} failed: ${(error as Error).message}`, { cause: error });
    }
    newlyApplied.push(file);
  }
  return newlyApplied;
}

function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
