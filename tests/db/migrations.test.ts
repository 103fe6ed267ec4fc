import { describe, expect, it } from "vitest";
import { getDatabase } from "@/lib/db/get-database";
import { migrateDatabase } from "@/lib/db/migrate-database";
import { seedDatabase } from "@/lib/db/seed-database";

describe("npm run db:migrate", () => {
  it("applies each migration once, recording it where the Supabase CLI does", async () => {
    const db = await getDatabase();
    expect(await migrateDatabase(db)).toEqual([]);
    const versions = await db.query<{ version: string; name: string }>("select version, name from supabase_migrations.schema_migrations");
    expect(versions).toContainEqual({ version: "20261124000000", name: "core_schema" });
  });

  it("loads the demo data once, however often it is asked", async () => {
    const db = await getDatabase();
    await seedDatabase(db, { onlyIfEmpty: true });
    expect(await seedDatabase(db, { onlyIfEmpty: true })).toBe(false);
    await seedDatabase(db, { onlyIfEmpty: false });
    expect(await db.query("select id from public.clients order by id")).toEqual([{ id: "acme-plumbing" }, { id: "bright-smiles" }]);
  });
});
