import { afterAll, beforeAll } from "vitest";
import type { Database } from "@/lib/db/database";
import { closeDatabase, getDatabase } from "@/lib/db/get-database";
import { seedDatabase } from "@/lib/db/seed-database";

/** The app's own database for a test file (embedded, in memory), with the demo agency's users and leads. */
export function useSeededDatabase(): { readonly db: Database } {
  const seeded = {} as { db: Database };
  beforeAll(async () => {
    seeded.db = await getDatabase();
    await seedDatabase(seeded.db, { onlyIfEmpty: true });
  });
  afterAll(closeDatabase);
  return seeded;
}
