// One Leadline under test: `next start` on a database of its own (a throw-away PostgreSQL database,
// or the embedded one in a temporary folder), seeded with the demo agency, with Twilio's REST API
// played by the stand-in on a local port. This process plays Twilio's webhooks, signed as Twilio
// signs them over the server's public URL.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { seedDatabase } from "../../../lib/db/seed-database";
import { adminQuery, cleanupStep, databaseUrlFor, prepareThrowAwayDatabase } from "../../bench/bench-harness";
import { freePort, startNextServer, type RunningServer } from "../../support/next-server";
import { postTwilioWebhook } from "../../support/post-twilio-webhook";
import { serveStandIn, type RunningStandIn } from "../../support/stand-ins/serve-stand-in";
import { twilioApiStandIn, type TwilioApiStandIn } from "../../support/stand-ins/twilio-api";
import type { Params } from "../../support/twilio-webhook";

export type DatabaseKind = "PostgreSQL" | "embedded";

const ALL_DATABASES: DatabaseKind[] = ["PostgreSQL", "embedded"];

/** The databases E2E_DATABASES names ("PostgreSQL", "embedded" or both, comma-separated; default both). */
export function databasesToRun(): DatabaseKind[] {
  return (process.env.E2E_DATABASES ?? ALL_DATABASES.join(",")).split(",").map((name) => {
    const database = ALL_DATABASES.find((known) => known.toLowerCase() === name.trim().toLowerCase());
    if (!database) throw new Error(`E2E_DATABASES: unknown database "${name}"; known: ${ALL_DATABASES.join(", ")}`);
    return database;
  });
}

export const TWILIO_ACCOUNT_SID = `AC${"e2e0".repeat(8)}`;
export const TWILIO_AUTH_TOKEN = randomBytes(16).toString("hex");
const POSTGRES_URL = process.env.E2E_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

/**
 * How the run sees the Airtable pipeline's queue. On PostgreSQL it reads the jobs of a lead; the
 * embedded database is open in the server process alone (PGlite is single-process), so there the
 * run reads the pending count that GET /api/health reports.
 */
export type PipelineQueue =
  | { kind: "per lead"; statusJobs: (leadId: string, status: string) => Promise<number> }
  | { kind: "pending total"; pending: () => Promise<number> };

export type AppUnderTest = {
  database: DatabaseKind;
  url: string;
  twilio: TwilioApiStandIn;
  twilioUrl: string;
  /** Every request the Twilio stand-in received, as "GET /2010-04-01/…". */
  twilioRequests: string[];
  accountSid: string;
  pipelineQueue: PipelineQueue;
  /** The throw-away PostgreSQL database, for a run that reads what the server wrote; undefined on the embedded one. */
  databaseUrl?: string;
  /** Posts a webhook signed as Twilio signs it; throws unless the server answers 200. */
  postWebhook: (path: string, params: Params) => Promise<string>;
  serverLog: () => string;
  stop: () => Promise<void>;
};

/** `extraEnv` adds to the server's environment (e.g. the Airtable stand-in's AIRTABLE_* and a CRON_SECRET). */
export async function startAppUnderTest(database: DatabaseKind, distDir: string, extraEnv: Record<string, string> = {}): Promise<AppUnderTest> {
  const cleanups: { what: string; work: () => Promise<unknown> }[] = [];
  const stop = async () => {
    for (const { what, work } of cleanups.reverse()) await cleanupStep(what, work);
    cleanups.length = 0;
  };
  try {
    const twilio = twilioApiStandIn({ accountSid: TWILIO_ACCOUNT_SID, authToken: TWILIO_AUTH_TOKEN });
    const twilioRequests: string[] = [];
    const twilioServer: RunningStandIn = await serveStandIn((request) => {
      twilioRequests.push(`${request.method} ${new URL(request.url).pathname}`);
      return twilio.handle(request);
    });
    cleanups.push({ what: "closing the Twilio stand-in", work: twilioServer.close });

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const { env: databaseEnv, pipelineQueue } = database === "PostgreSQL" ? await throwAwayPostgres(cleanups) : embeddedDatabase(cleanups, url);
    const server: RunningServer = await startNextServer({
      port,
      timeoutMs: 120_000,
      env: {
        ...databaseEnv,
        NEXT_DIST_DIR: distDir,
        // The development sign-in, which a production build offers only in demo mode.
        DEMO_MODE: "true",
        PUBLIC_BASE_URL: url,
        TWILIO_ACCOUNT_SID,
        TWILIO_AUTH_TOKEN,
        TWILIO_API_URL: twilioServer.url,
        ...extraEnv,
      },
    });
    cleanups.push({ what: "stopping next start", work: server.stop });

    return {
      database,
      url,
      twilio,
      twilioUrl: twilioServer.url,
      twilioRequests,
      accountSid: TWILIO_ACCOUNT_SID,
      pipelineQueue,
      databaseUrl: databaseEnv.DATABASE_URL,
      async postWebhook(webhookPath, params) {
        const reply = await postTwilioWebhook(url, webhookPath, params, { token: TWILIO_AUTH_TOKEN, publicBaseUrl: url });
        if (reply.status !== 200) throw new Error(`POST ${webhookPath} answered ${reply.status}: ${reply.body.slice(0, 300)}`);
        return reply.body;
      },
      serverLog: server.output,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

type Cleanups = { what: string; work: () => Promise<unknown> }[];

async function throwAwayPostgres(cleanups: Cleanups): Promise<{ env: Record<string, string>; pipelineQueue: PipelineQueue }> {
  const name = `leadline_e2e_${process.pid}_${Date.now()}`;
  await prepareThrowAwayDatabase(
    POSTGRES_URL,
    name,
    () => cleanups.push({ what: `dropping ${name}`, work: () => adminQuery(POSTGRES_URL, `drop database if exists ${name} with (force)`) }),
    (db) => seedDatabase(db, { onlyIfEmpty: false }),
  );
  const databaseUrl = databaseUrlFor(POSTGRES_URL, name);
  const observer = new pg.Pool({ connectionString: databaseUrl, max: 1, connectionTimeoutMillis: 10_000 });
  cleanups.push({ what: "closing the observer pool", work: () => observer.end() });
  return {
    env: { DATABASE_URL: databaseUrl },
    pipelineQueue: {
      kind: "per lead",
      // The status trigger keys its job "status:<lead>:<status>:<changed at>".
      statusJobs: async (leadId, status) =>
        (
          await observer.query<{ count: number }>(
            "select count(*)::int as count from internal.outbox where topic = 'lead.sync' and lead_id = $1 and event_key like $2",
            [leadId, `status:${leadId}:${status}:%`],
          )
        ).rows[0].count,
    },
  };
}

function embeddedDatabase(cleanups: Cleanups, serverUrl: string): { env: Record<string, string>; pipelineQueue: PipelineQueue } {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "leadline-e2e-"));
  cleanups.push({ what: `removing ${dataDir}`, work: async () => rmSync(dataDir, { recursive: true, force: true }) });
  return {
    // The server migrates and seeds it on first use (demo mode).
    env: { LEADLINE_DATA_DIR: dataDir },
    pipelineQueue: {
      kind: "pending total",
      pending: async () => {
        const response = await fetch(`${serverUrl}/api/health`, { cache: "no-store" });
        const health = (await response.json()) as { outbox?: { pending?: number } };
        if (typeof health.outbox?.pending !== "number") throw new Error(`GET /api/health answered ${response.status} without an outbox count`);
        return health.outbox.pending;
      },
    },
  };
}
