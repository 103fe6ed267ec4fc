// `npm run test:e2e` (after the inbox run) – the tracking script end to end in the system Chromium
// (playwright-core, never a downloaded browser) against `next build && next start`, on a throw-away
// PostgreSQL database and then on the embedded one, each seeded with the demo agency; Twilio's REST
// API and Airtable are played by local stand-ins, and this process plays Twilio's webhooks.
//
// The client's site is a second origin: a small node server whose pages load track.js from the app,
// reached as http://localhost:<port> (in Acme's Website Domains) and http://127.0.0.1:<port> (not).
// Scenarios (a)–(j) of issue 9 each print PASS or FAIL with the reason; (h) and (i) read the
// database and run on PostgreSQL only; (g) stops the app, so it runs last but one, before (f),
// which sums up every page's console. Exits 1 if any step failed.
//
// Knobs: NEXT_DIST_DIR (the build to use or make, default .next), E2E_DATABASES ("PostgreSQL",
// "embedded" or both, comma-separated; default both), E2E_POSTGRES_URL, CHROMIUM_PATH.
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import pg from "pg";
import type { Browser } from "playwright-core";
import { cleanupStep, runBench } from "../../bench/bench-harness";
import { CLIENT_CONFIGURATION_FIELDS, CLIENT_CONFIGURATION_TABLE } from "../../support/configure-tracking-number";
import { LEAD_PIPELINE_FIELDS, LEAD_PIPELINE_TABLE } from "../../support/lead-pipeline-table";
import { ensureProductionBuild } from "../../support/next-server";
import { airtableApiStandIn } from "../../support/stand-ins/airtable-api";
import { serveStandIn, type RunningStandIn } from "../../support/stand-ins/serve-stand-in";
import { databasesToRun, startAppUnderTest, type AppUnderTest } from "../inbox/app-under-test";
import { launchChromium } from "../inbox/browser-session";
import { reportRun, runScenarios, type Scenario, type StepResult } from "../inbox/step-runner";
import { antiFlicker } from "./scenarios/anti-flicker";
import { callAttributionScenario } from "./scenarios/call-attribution";
import { consentRequired } from "./scenarios/consent-required";
import { foreignSite } from "./scenarios/foreign-site";
import { noConsoleErrors } from "./scenarios/no-console-errors";
import { paidLanding } from "./scenarios/paid-landing";
import { poolLeases } from "./scenarios/pool-leases";
import { serverDown } from "./scenarios/server-down";
import { singlePageApp } from "./scenarios/single-page-app";
import { staticPage } from "./scenarios/static-page";
import { startTestSite, type TestSite } from "./test-site";
import type { TrackingRun } from "./tracking-run";

const SCENARIOS: ((run: TrackingRun) => Scenario)[] = [
  staticPage,
  singlePageApp,
  paidLanding,
  consentRequired,
  foreignSite,
  poolLeases,
  callAttributionScenario,
  antiFlicker,
  serverDown,
  noConsoleErrors,
];
const DATABASES = databasesToRun();
const DIST_DIR = process.env.NEXT_DIST_DIR || ".next";
const AIRTABLE_TOKEN = `patE2eTracking.${randomBytes(8).toString("hex")}`;
const AIRTABLE_BASE_ID = "appE2eTracking001";
const CRON_SECRET = `cron-${randomBytes(12).toString("hex")}`;

let browser: Browser | undefined;
let site: TestSite | undefined;
let airtableServer: RunningStandIn | undefined;
let app: AppUnderTest | undefined;
let db: pg.Pool | undefined;

async function cleanUp(): Promise<void> {
  if (db) await cleanupStep("closing the database pool", () => db!.end());
  if (app) await cleanupStep(`stopping the ${app.database} app`, app.stop);
  if (browser) await cleanupStep("closing Chromium", () => browser!.close());
  if (site) await cleanupStep("closing the test site", site.close);
  if (airtableServer) await cleanupStep("closing the Airtable stand-in", airtableServer.close);
}

async function main(): Promise<number> {
  const started = performance.now();
  console.log(`e2e tracking: building (if stale) the production server into ${DIST_DIR}…`);
  ensureProductionBuild({ distDir: DIST_DIR });
  browser = await launchChromium();
  site = await startTestSite();
  const airtable = airtableApiStandIn({ token: AIRTABLE_TOKEN, baseId: AIRTABLE_BASE_ID });
  airtable.defineTable(CLIENT_CONFIGURATION_TABLE, CLIENT_CONFIGURATION_FIELDS);
  airtable.defineTable(LEAD_PIPELINE_TABLE, LEAD_PIPELINE_FIELDS);
  airtableServer = await serveStandIn(airtable.handle);
  console.log(`e2e tracking: Chromium ${browser.version()}; the client's site at ${site.allowed("/")} (allowed) and ${site.foreign("/")} (foreign)`);

  const results: StepResult[] = [];
  for (const database of DATABASES) {
    console.log(`\ne2e tracking: next start on ${database === "PostgreSQL" ? "a throw-away PostgreSQL database" : "the embedded database"}…`);
    const run: TrackingRun = {
      site,
      log: [],
      airtable,
      cronSecret: CRON_SECRET,
      db: () => {
        if (!db) throw new Error("the embedded database is open in the server process only");
        return db;
      },
    };
    const scenarios = SCENARIOS.map((scenario) => scenario(run));
    try {
      app = await startAppUnderTest(database, DIST_DIR, { AIRTABLE_TOKEN, AIRTABLE_BASE_ID, AIRTABLE_API_URL: airtableServer.url, CRON_SECRET });
    } catch (error) {
      console.log(`FAIL [${database}] the app did not start: ${(error as Error).message.split("\n").slice(0, 20).join("\n    ")}`);
      results.push(...scenarios.map((scenario, i) => ({ scenario: `${i + 1}. ${scenario.name}`, database, verdict: "FAIL" as const, timings: [], reason: "the app did not start" })));
      continue;
    }
    if (app.databaseUrl) {
      db = new pg.Pool({ connectionString: app.databaseUrl, max: 2, connectionTimeoutMillis: 10_000 });
      // (g) stops the app, which drops its database under the idle connections.
      db.on("error", () => {});
    }
    site.useApp(app.url);
    console.log(`e2e tracking: ${app.url} (Airtable stand-in ${airtableServer.url})`);
    results.push(...(await runScenarios(scenarios, app, browser)));
    if (db) await cleanupStep("closing the database pool", () => db!.end());
    db = undefined;
    await app.stop();
    app = undefined;
  }

  return reportRun("e2e tracking", results, DATABASES, started);
}

await runBench("e2e tracking", main, cleanUp);
