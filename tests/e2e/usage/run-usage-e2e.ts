// `npm run test:e2e` (last) – usage for billing end to end in the system Chromium (playwright-core,
// never a downloaded browser) against `next build && next start`, on a throw-away PostgreSQL
// database and then on the embedded one, each seeded with the demo agency; Twilio's REST API and
// Airtable are played by local stand-ins, and this process plays Twilio: signed webhooks for a
// month of calls and texts, and Twilio's logs of every call leg and message, priced after the fact.
//
// Steps: (1) the month's traffic, and a reply from the inbox; (2) reconciliation (the cron route,
// and on PostgreSQL `npm run reconcile -- --since 40d` for the month's first instant and the month
// before) back-fills what only Twilio logged, then fills Twilio's prices; (3) the agency opens
// /usage from the menu, reads last month and this month, sets a markup and downloads the CSV of
// each; (4) a client user finds neither the link, the page nor the CSV; (5) the page and the CSV
// equal SQL sums over public.usage_events (on the embedded database, read once the app has
// stopped). Each step prints PASS or FAIL with the reason; exits 1 if any failed.
//
// Knobs: NEXT_DIST_DIR (the build to use or make, default .next), E2E_DATABASES ("PostgreSQL",
// "embedded" or both, comma-separated; default both), E2E_POSTGRES_URL, CHROMIUM_PATH.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import type { Browser } from "playwright-core";
import { currentUsageMonth, shiftUsageMonth } from "../../../lib/usage/usage-month";
import { cleanupStep, runBench } from "../../bench/bench-harness";
import { CLIENT_CONFIGURATION_FIELDS, CLIENT_CONFIGURATION_TABLE } from "../../support/configure-tracking-number";
import { LEAD_PIPELINE_FIELDS, LEAD_PIPELINE_TABLE } from "../../support/lead-pipeline-table";
import { ensureProductionBuild } from "../../support/next-server";
import { airtableApiStandIn } from "../../support/stand-ins/airtable-api";
import { serveStandIn, type RunningStandIn } from "../../support/stand-ins/serve-stand-in";
import { databasesToRun, startAppUnderTest, type AppUnderTest } from "../inbox/app-under-test";
import { launchChromium } from "../inbox/browser-session";
import { reportRun, runScenarios, type Scenario, type StepResult } from "../inbox/step-runner";
import { clientRefused } from "./scenarios/client-refused";
import { matchesLedger } from "./scenarios/matches-ledger";
import { monthOfTraffic } from "./scenarios/month-of-traffic";
import { reconcilePrices } from "./scenarios/reconcile-prices";
import { usagePage } from "./scenarios/usage-page";
import type { UsageRun } from "./usage-run";

// The ledger step stops the embedded app to read its folder, so it runs last.
const SCENARIOS: ((run: UsageRun) => Scenario)[] = [monthOfTraffic, reconcilePrices, usagePage, clientRefused, matchesLedger];
const DATABASES = databasesToRun();
const DIST_DIR = process.env.NEXT_DIST_DIR || ".next";
const AIRTABLE_TOKEN = `patE2eUsage.${randomBytes(8).toString("hex")}`;
const AIRTABLE_BASE_ID = "appE2eUsage000001";
const CRON_SECRET = `cron-${randomBytes(12).toString("hex")}`;

let browser: Browser | undefined;
let airtableServer: RunningStandIn | undefined;
let app: AppUnderTest | undefined;
let pool: pg.Pool | undefined;
let dataDir: string | undefined;

async function cleanUp(): Promise<void> {
  if (pool) await cleanupStep("closing the database pool", () => pool!.end());
  if (app) await cleanupStep(`stopping the ${app.database} app`, app.stop);
  if (dataDir) await cleanupStep(`removing ${dataDir}`, async () => rmSync(dataDir!, { recursive: true, force: true }));
  if (browser) await cleanupStep("closing Chromium", () => browser!.close());
  if (airtableServer) await cleanupStep("closing the Airtable stand-in", airtableServer.close);
}

async function main(): Promise<number> {
  const started = performance.now();
  console.log(`e2e usage: building (if stale) the production server into ${DIST_DIR}…`);
  ensureProductionBuild({ distDir: DIST_DIR });
  browser = await launchChromium();
  const airtable = airtableApiStandIn({ token: AIRTABLE_TOKEN, baseId: AIRTABLE_BASE_ID });
  airtable.defineTable(CLIENT_CONFIGURATION_TABLE, CLIENT_CONFIGURATION_FIELDS);
  airtable.defineTable(LEAD_PIPELINE_TABLE, LEAD_PIPELINE_FIELDS);
  airtableServer = await serveStandIn(airtable.handle);
  const month = currentUsageMonth(new Date());
  console.log(`e2e usage: Chromium ${browser.version()}; the month under test is ${month} (UTC)`);

  const results: StepResult[] = [];
  for (const database of DATABASES) {
    console.log(`\ne2e usage: next start on ${database === "PostgreSQL" ? "a throw-away PostgreSQL database" : "the embedded database"}…`);
    const run: UsageRun = { month, previousMonth: shiftUsageMonth(month, -1), cronSecret: CRON_SECRET, airtable, logged: [], shown: new Map() };
    const scenarios = SCENARIOS.map((scenario) => scenario(run));
    // The embedded database's folder is the run's own, so the ledger can be read once the app stops.
    if (database === "embedded") run.embeddedDataDir = dataDir = mkdtempSync(path.join(os.tmpdir(), "leadline-e2e-usage-"));
    try {
      app = await startAppUnderTest(database, DIST_DIR, {
        AIRTABLE_TOKEN,
        AIRTABLE_BASE_ID,
        AIRTABLE_API_URL: airtableServer.url,
        CRON_SECRET,
        ...(run.embeddedDataDir ? { LEADLINE_DATA_DIR: run.embeddedDataDir } : {}),
      });
    } catch (error) {
      console.log(`FAIL [${database}] the app did not start: ${(error as Error).message.split("\n").slice(0, 20).join("\n    ")}`);
      results.push(...scenarios.map((scenario, i) => ({ scenario: `${i + 1}. ${scenario.name}`, database, verdict: "FAIL" as const, timings: [], reason: "the app did not start" })));
      continue;
    }
    if (app.databaseUrl) run.pool = pool = new pg.Pool({ connectionString: app.databaseUrl, max: 2, connectionTimeoutMillis: 10_000 });
    console.log(`e2e usage: ${app.url} (Twilio stand-in ${app.twilioUrl}, Airtable stand-in ${airtableServer.url})`);
    results.push(...(await runScenarios(scenarios, app, browser)));
    if (pool) await cleanupStep("closing the database pool", () => pool!.end());
    pool = undefined;
    await app.stop();
    app = undefined;
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    dataDir = undefined;
  }

  return reportRun("e2e usage", results, DATABASES, started);
}

await runBench("e2e usage", main, cleanUp);
