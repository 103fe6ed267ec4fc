import { PGlite } from "@electric-sql/pglite";
import type { Database, Queryable, Row } from "./database";
import { acquireDataDirLock } from "./data-dir-lock";

function wrap(handle: Pick<PGlite, "query">): Queryable {
  return {
    async query<T extends Row>(sql: string, params?: unknown[]) {
      const result = await handle.query<T>(sql, params);
      return result.rows;
    },
  };
}

/**
 * PGlite is real Postgres in-process. It allows one process per data folder, so a folder on
 * disk is opened behind a lock file; `memory://` needs none.
 */
export async function openEmbeddedDatabase(dataDir: string): Promise<Database> {
  const release = dataDir.startsWith("memory://") ? () => {} : acquireDataDirLock(dataDir);
  let pg: PGlite;
  try {
    pg = await PGlite.create(dataDir);
  } catch (error) {
    release();
    throw error;
  }
  const queryable = wrap(pg);
  return {
    kind: "embedded",
    query: queryable.query,
    // One process, no network: never marked down.
    queryPastCoolDown: queryable.query,
    async exec(sql) {
      await pg.exec(sql);
    },
    transaction: (work) => pg.transaction((tx) => work(wrap(tx))),
    async close() {
      await pg.close();
      release();
    },
  };
}
