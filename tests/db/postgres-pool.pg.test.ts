import { describe, expect, it } from "vitest";
import { DatabaseUnavailableError } from "@/lib/db/database";
import { openPostgresDatabase } from "@/lib/db/open-postgres-database";

describe("the webhook pool on PostgreSQL", () => {
  it("does not take a saturated pool for a dead database", async () => {
    const db = openPostgresDatabase(process.env.DATABASE_URL!, { deadlineMs: 300, coolDownMs: 5000, max: 1 });
    try {
      const holding = db.transaction(async (tx) => {
        await new Promise((resolve) => setTimeout(resolve, 450));
        return tx.query("select 1 as one");
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      await expect(db.query("select 2")).rejects.toThrow(/database busy/);
      await holding;
      expect(await db.query("select 3 as three")).toEqual([{ three: 3 }]);
    } finally {
      await db.close();
    }
  });

  it("fails one slow statement at the deadline without marking the database down", async () => {
    const db = openPostgresDatabase(process.env.DATABASE_URL!, { deadlineMs: 1000, coolDownMs: 60_000 });
    try {
      const slow = await db.query("select pg_sleep(2)").catch((error: Error) => error);
      expect(slow).toBeInstanceOf(DatabaseUnavailableError);
      expect((slow as Error).cause).toMatchObject({ code: "57014" });
      // Marked down, these would be refused for the whole minute of cool-down.
      expect(await db.query("select 1 as one")).toEqual([{ one: 1 }]);
      expect(await db.transaction((tx) => tx.query("select 2 as two"))).toEqual([{ two: 2 }]);
    } finally {
      await db.close();
    }
  });

  it("fails fast for the cool-down after the database itself failed", async () => {
    const db = openPostgresDatabase("postgresql://postgres@127.0.0.1:1/none", { deadlineMs: 300, coolDownMs: 5000 });
    try {
      await expect(db.query("select 1")).rejects.toThrow(DatabaseUnavailableError);
      const started = Date.now();
      await expect(db.query("select 1")).rejects.toThrow(/marked down/);
      expect(Date.now() - started).toBeLessThan(50);
    } finally {
      await db.close();
    }
  });
});
