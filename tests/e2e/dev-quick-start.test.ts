// The README quick start, as a newcomer runs it: `npm run dev` with nothing configured (embedded
// database, no Twilio account), then `npm run simulate -- call` in another terminal.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataDirLockedError } from "@/lib/db/data-dir-lock";
import type { Database } from "@/lib/db/database";
import { openEmbeddedDatabase } from "@/lib/db/open-embedded-database";
import { startNextServer, type RunningServer } from "../support/next-server";
import { runSimulator } from "../support/run-command";

// Seeded (supabase/seed.sql) and built into the simulator (scripts/simulate.ts).
const SEEDED_TRACKING_NUMBER = "+15125550100";
const SEEDED_PRIMARY_NUMBER = "+15125550111";
const DEMO_CALLER = "+15125550199";

let dataDir: string;
let server: RunningServer | undefined;
let db: Database | undefined;

const serverLog = () => `\n--- next dev output (tail) ---\n${(server?.output() ?? "(server not started)").slice(-6000)}`;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "leadline-quick-start-"));
  // Nothing but a data folder (and a build folder of its own, so a developer's `npm run dev` can
  // keep running): no DATABASE_URL, no TWILIO_AUTH_TOKEN, no PUBLIC_BASE_URL.
  server = await startNextServer({
    mode: "dev",
    env: { LEADLINE_DATA_DIR: dataDir, NEXT_DIST_DIR: ".next-test/quick-start" },
    timeoutMs: 180_000,
  });
}, 240_000);

afterAll(async () => {
  await server?.stop();
  await db?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe("quick start: npm run dev, then npm run simulate -- call", () => {
  it("opens the embedded database in the data folder behind a lock, and a second process is refused", async () => {
    const pgliteDir = path.join(dataDir, "pglite");
    expect(existsSync(`${pgliteDir}.lock`), `the dev server holds no lock on ${pgliteDir}${serverLog()}`).toBe(true);
    expect(readFileSync(path.join(dataDir, "twilio-auth-token"), "utf8").trim(), "the dev server generated no Twilio token").toMatch(/^[0-9a-f]{32}$/);

    const opened = openEmbeddedDatabase(pgliteDir);
    // Should it (wrongly) open, close it at once rather than share the folder with the server.
    opened.then((database) => database.close()).catch(() => {});

    await expect(opened).rejects.toThrow(DataDirLockedError);
    await expect(opened).rejects.toThrow(/open in another process \(pid \d+\).*stop that process, or set DATABASE_URL/);
  });

  it("forwards the simulated call to the seeded client's primary number", async () => {
    const run = await runSimulator(["call", "--server", server!.url], {
      // What the dev server signs against by default, and the folder its generated token is in.
      env: { PUBLIC_BASE_URL: "http://localhost:3000", LEADLINE_DATA_DIR: dataDir },
      timeoutMs: 150_000,
    });
    const explain = `\nsimulator stdout:\n${run.stdout}\nsimulator stderr:\n${run.stderr}${serverLog()}`;

    expect(run.exitCode, explain).toBe(0);
    expect(run.stdout, explain).toContain("POST /api/twilio/voice -> 200");
    expect(run.stdout, explain).toContain("<Dial");
    expect(run.stdout, explain).toContain(`<Number>${SEEDED_PRIMARY_NUMBER}</Number>`);
  }, 180_000);

  it("migrated and seeded the database on first start and logged the call in it", async () => {
    await server!.stop();
    db = await openEmbeddedDatabase(path.join(dataDir, "pglite"));

    const [{ migrations }] = await db.query<{ migrations: number }>("select count(*)::int as migrations from supabase_migrations.schema_migrations");
    expect(migrations).toBeGreaterThan(0);
    const clients = await db.query<{ id: string }>("select id from public.clients order by id");
    expect(clients.map((client) => client.id)).toEqual(["acme-plumbing", "bright-smiles"]);

    // The seed has no call from the demo caller: this one is the simulator's.
    const calls = await db.query("select call_sid, client_id, forwarded_to, lead_id from public.calls where caller = $1 and tracking_number = $2", [
      DEMO_CALLER,
      SEEDED_TRACKING_NUMBER,
    ]);
    expect(calls, serverLog()).toEqual([
      { call_sid: expect.stringMatching(/^CA[0-9a-f]{32}$/), client_id: "acme-plumbing", forwarded_to: SEEDED_PRIMARY_NUMBER, lead_id: expect.any(String) },
    ]);
    const [lead] = await db.query("select lead_key from public.leads where id = $1", [calls[0].lead_id]);
    expect(lead).toEqual({ lead_key: `acme-plumbing:${DEMO_CALLER}` });
  }, 60_000);
});
