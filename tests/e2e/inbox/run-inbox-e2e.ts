// `npm run test:e2e` – the lead inbox end to end in the system Chromium (playwright-core, never a
// downloaded browser) against `next build && next start`: first on a throw-away PostgreSQL
// database, then on the embedded one, each seeded with the demo agency and with Twilio's REST API
// played by the stand-in. This process plays Twilio's webhooks, signed as Twilio signs them.
//
// Each scenario is a step that prints PASS or FAIL with the reason; the live ones print how many
// seconds a new call, text or delivery status took to show without a reload, and fail over 5 s.
// The PostgreSQL run also writes docs/screenshots/{inbox,thread,reports}-{mobile,desktop}.png.
// Exits 1 if any step failed.
//
// Knobs: NEXT_DIST_DIR (the build to use or make, default .next), E2E_DATABASES ("PostgreSQL",
// "embedded" or both, comma-separated; default both), E2E_POSTGRES_URL (the server to make the
// throw-away database on), CHROMIUM_PATH (default /usr/bin/chromium).
import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import type { Browser } from "playwright-core";
import { cleanupStep, runBench } from "../../bench/bench-harness";
import { ensureProductionBuild } from "../../support/next-server";
import { databasesToRun, startAppUnderTest, type AppUnderTest } from "./app-under-test";
import { launchChromium } from "./browser-session";
import { agencyClientFilter } from "./scenarios/agency-client-filter";
import { clientSeesOwnThreads } from "./scenarios/client-sees-own-threads";
import { liveCallAndText } from "./scenarios/live-call-and-text";
import { offlineInbox } from "./scenarios/offline-inbox";
import { otherClientNotFound } from "./scenarios/other-client-not-found";
import { replyDelivery } from "./scenarios/reply-delivery";
import { screenshots } from "./scenarios/screenshots";
import { statusChange } from "./scenarios/status-change";
import { voicemailPlays } from "./scenarios/voicemail-plays";
import { reportRun, runScenarios, type StepResult } from "./step-runner";
import { sleep } from "./until";

const SCENARIOS = [
  clientSeesOwnThreads,
  liveCallAndText,
  statusChange,
  replyDelivery,
  voicemailPlays,
  agencyClientFilter,
  otherClientNotFound,
  offlineInbox,
  screenshots,
];
const DATABASES = databasesToRun();
const DIST_DIR = process.env.NEXT_DIST_DIR || ".next";

let browser: Browser | undefined;
let app: AppUnderTest | undefined;

async function cleanUp(): Promise<void> {
  if (app) await cleanupStep(`stopping the ${app.database} app`, app.stop);
  if (browser) await cleanupStep("closing Chromium", () => browser!.close());
}

/** On a machine shared with other builds, a second `next build` beside one would only slow both. */
async function waitForOtherBuilds(): Promise<void> {
  for (let waited = 0; ; waited += 10) {
    const running = spawnSync("pgrep", ["-f", "next build"], { encoding: "utf8" }).stdout.trim();
    if (!running) return;
    if (waited % 60 === 0) console.log(`e2e: another next build is running (pid ${running.split("\n").join(", ")}); waiting`);
    await sleep(10_000);
  }
}

async function main(): Promise<number> {
  const started = performance.now();
  await waitForOtherBuilds();
  console.log(`e2e: building (if stale) the production server into ${DIST_DIR}…`);
  ensureProductionBuild({ distDir: DIST_DIR });
  browser = await launchChromium();
  console.log(`e2e: Chromium ${browser.version()}`);

  const results: StepResult[] = [];
  for (const database of DATABASES) {
    console.log(`\ne2e: next start on ${database === "PostgreSQL" ? "a throw-away PostgreSQL database" : "the embedded database"}…`);
    try {
      app = await startAppUnderTest(database, DIST_DIR);
    } catch (error) {
      console.log(`FAIL [${database}] the app did not start: ${(error as Error).message.split("\n").slice(0, 20).join("\n    ")}`);
      results.push(...SCENARIOS.map((scenario, i) => ({ scenario: `${i + 1}. ${scenario.name}`, database, verdict: "FAIL" as const, timings: [], reason: "the app did not start" })));
      continue;
    }
    console.log(`e2e: ${app.url} (Twilio stand-in ${app.twilioUrl})`);
    results.push(...(await runScenarios(SCENARIOS, app, browser)));
    await app.stop();
    app = undefined;
  }

  return reportRun("e2e", results, DATABASES, started);
}

await runBench("e2e", main, cleanUp);
