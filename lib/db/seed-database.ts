import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Database } from "./database";



/** Loads the demo agency. With onlyIfEmpty, a database that already has clients is left alone. */
export async function seedDatabase(db: Database, options: { onlyIfEmpty: boolean }): Promise<boolean> {
  if (options.onlyIfEmpty) {
    const [{ count }] = await db.query<{ count: number }>("select count(*)::int as count from public.clients");
    if (count > 0) return false;
  }
  await db.exec(await readFile(path.join(process.cwd(), "supabase", "seed.sql"), "utf8"));
  return true;
}
