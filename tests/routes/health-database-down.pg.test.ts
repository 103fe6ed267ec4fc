// An uptime monitor must hear that the database is down, in time, even when it hangs.
import { afterEach, describe, expect, it } from "vitest";
import { GET } from "@/app/api/health/route";
import { closeDatabase } from "@/lib/db/get-database";
import { closedLocalPort, startBlackHoleServer } from "../support/black-hole-server";

const realDatabaseUrl = process.env.DATABASE_URL!;

afterEach(async () => {
  await closeDatabase();
  process.env.DATABASE_URL = realDatabaseUrl;
});

async function healthWithDatabaseAt(url: string) {
  await closeDatabase();
  process.env.DATABASE_URL = url;
  const started = Date.now();
  const response = await GET();
  return { status: response.status, body: await response.json(), ms: Date.now() - started };
}

describe("GET /api/health with the database down", () => {
  it("answers 200 on a working PostgreSQL server", async () => {
    const { status, body } = await healthWithDatabaseAt(realDatabaseUrl);
    expect(status).toBe(200);
    expect(body.database).toEqual({ status: "ok", kind: "server" });
  });

  it("answers 503, database down, when connections are refused", async () => {
    const { status, body } = await healthWithDatabaseAt(`postgresql://postgres@127.0.0.1:${await closedLocalPort()}/leadline`);
    expect(status).toBe(503);
    expect(body).toMatchObject({ ok: false, database: { status: "down", kind: "server" } });
  });

  it("answers 503 within the database deadline when the server accepts and never answers", async () => {
    const blackHole = await startBlackHoleServer();
    try {
      const { status, body, ms } = await healthWithDatabaseAt(`postgresql://postgres@${blackHole.host}:${blackHole.port}/leadline`);
      expect(status).toBe(503);
      expect(body.database.status).toBe("down");
      console.info(`health answered a hung database in ${ms} ms`);
    } finally {
      await blackHole.close();
    }
  });
});
