// `npm run bench:track` – the tracking script's budget (issue 9), from one run of the production
// server (next start) on a throw-away PostgreSQL database seeded with the demo agency:
//
//   1. size: public/track.js raw and gzipped at level 9, as a CDN compresses it;
//   2. swap time, in the system Chromium with a warm server: from DOMContentLoaded to the printed
//      number changing on a page of the client's site (a second origin, localhost:<port>), read on
//      the page's own clock by a MutationObserver, since the script reports nothing about itself.
//      Each load is a first visit: a new browser context (track.js fetched, a new visitor, a direct
//      visit that gets the Website number) → median and p95 of BENCH_SWAP_LOADS loads;
//   3. session latency: POST /api/track/session and GET /api/health/live (the cheapest route) each at
//      BENCH_SESSION_RATE requests/s, evenly spaced, open-loop and interleaved in one window, so
//      drift of the shared machine hits both alike → p50 / p99 per route and their ratios. Every
//      session is a new visitor from its own X-Forwarded-For address (so the per-IP limit is not
//      what is measured) with an allowed Origin; one in five is a Google Ads click (pool lease or,
//      once the pool of three is taken, the fallback and an exhaustion row), the rest direct,
//      organic or referral visits.
//
// Goals: track.js ≤ 3,072 bytes gzipped; session p99 ≤ 3× health p99; no failed request. Exits 1
// when one is missed.
//
// Knobs: BENCH_SESSION_RATE (200), BENCH_PACED_SECONDS (15), BENCH_WARMUP_SECONDS (3),
// BENCH_SWAP_LOADS (20), NEXT_DIST_DIR (the build to use or make, default .next), E2E_POSTGRES_URL
// (the server to make the throw-away database on), CHROMIUM_PATH.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import type { Browser } from "playwright-core";
import { launchSystemChromium } from "../support/chromium";
import { ensureProductionBuild } from "../support/next-server";
import { startAppUnderTest, type AppUnderTest } from "../e2e/inbox/app-under-test";
import { until } from "../e2e/inbox/until";
import { ACME_SITE } from "../e2e/tracking/seeded-tracking";
import { startTestSite, type TestSite } from "../e2e/tracking/test-site";
import { bail, cleanupStep, numberFrom, percentile, runBench } from "./bench-harness";
import { HEALTH_LIVE, loadGenerator, type Target } from "./load-generator";

const SESSION_RATE = numberFrom("BENCH_SESSION_RATE", 200);
const PACED_SECONDS = numberFrom("BENCH_PACED_SECONDS", 15);
const WARMUP_SECONDS = numberFrom("BENCH_WARMUP_SECONDS", 3);
const SWAP_LOADS = numberFrom("BENCH_SWAP_LOADS", 20);
const SWAP_WARMUP_LOADS = 3;
const DIST_DIR = process.env.NEXT_DIST_DIR || ".next";
// Everything after the (synchronous) build.
const GLOBAL_TIMEOUT_MS = (300 + PACED_SECONDS + WARMUP_SECONDS + SWAP_LOADS * 5) * 1000;

const GOAL_GZIPPED_BYTES = 3072;
const GOAL_P99_RATIO = 3;

const TRACK_JS = path.resolve(import.meta.dirname, "../../public/track.js");
const SESSION_PATH = "/api/track/session";

// ---------------------------------------------------------------------------------------------
// 1. Size

function scriptSize(): { raw: number; gzipped: number } {
  const script = readFileSync(TRACK_JS);
  return { raw: script.length, gzipped: gzipSync(script, { level: 9 }).length };
}

// ---------------------------------------------------------------------------------------------
// 2. DOMContentLoaded → swap

type Timing = { domContentLoaded: number; swapped: number };

async function swapTime(browser: Browser, url: string): Promise<number> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(url);
    const timing = await until(
      () => page.evaluate(() => (window as unknown as { __timing: Timing }).__timing).then((t) => t.swapped > 0 && t.domContentLoaded > 0 && t),
      "the number on the timing page to be swapped",
    );
    return timing.swapped - timing.domContentLoaded;
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------------------------
// 3. Session latency

/** Each session a new visitor from a new address; `n` picks the kind of visit. */
function sessionTarget(origin: string): Target {
  let n = 0;
  const landing = `${origin}/`;
  return {
    name: "session",
    next() {
      n++;
      const touch =
        n % 5 === 0
          ? { source: "google", medium: "cpc", campaign: "bench", gclid: `bench-${randomBytes(12).toString("base64url")}`, landing: `${landing}?gclid=bench`, at: Date.now() }
          : n % 5 === 1
            ? { referrer: "https://www.google.com/", landing, at: Date.now() }
            : n % 5 === 2
              ? { referrer: "https://www.yelp.com/biz/acme-plumbing", landing, at: Date.now() }
              : { landing, at: Date.now() };
      const body = Buffer.from(JSON.stringify({ client: ACME_SITE.client, visitor: randomBytes(16).toString("base64url"), touch, page: landing }));
      return {
        method: "POST",
        path: SESSION_PATH,
        body,
        headers: {
          "content-type": "text/plain;charset=UTF-8",
          "content-length": body.length,
          origin,
          "x-forwarded-for": `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
        },
      };
    },
    check: (status, body) => (status === 200 && /"number":"\+1\d{10}"/.test(body) ? undefined : `session ${status}: ${body.slice(0, 200)}`),
  };
}

// ---------------------------------------------------------------------------------------------
// The run

let app: AppUnderTest | undefined;
let site: TestSite | undefined;
let browser: Browser | undefined;

async function cleanUp(): Promise<void> {
  if (browser) await cleanupStep("closing Chromium", () => browser!.close());
  if (site) await cleanupStep("closing the test site", site.close);
  if (app) await cleanupStep("stopping the app", app.stop);
}

const ms = (value: number) => `${value.toFixed(2)} ms`;

async function main(): Promise<number> {
  const size = scriptSize();
  console.log(`bench:track – public/track.js: ${size.raw} bytes, ${size.gzipped} bytes gzipped (level 9)`);
  console.log(`bench:track – building (if stale) the production server into ${DIST_DIR}…`);
  ensureProductionBuild({ distDir: DIST_DIR });
  const watchdog = setTimeout(() => void bail(2, `bench:track: gave up after ${GLOBAL_TIMEOUT_MS / 1000} s`, cleanUp), GLOBAL_TIMEOUT_MS);
  watchdog.unref();

  app = await startAppUnderTest("PostgreSQL", DIST_DIR);
  site = await startTestSite();
  site.useApp(app.url);
  browser = await launchSystemChromium();
  const { pacedPhase } = loadGenerator(Number(new URL(app.url).port));
  const session = sessionTarget(new URL(site.allowed("/")).origin);
  console.log(`server ${app.url} (next start, throw-away PostgreSQL database); Chromium ${browser.version()}; ${os.cpus().length} CPUs shared with the load generator and the browser.`);

  console.log(`warm-up: ${WARMUP_SECONDS} s at ${SESSION_RATE} req/s per route, then ${SWAP_LOADS + SWAP_WARMUP_LOADS} page loads…`);
  const warm = await pacedPhase([HEALTH_LIVE, session], SESSION_RATE, WARMUP_SECONDS);

  const timingPage = site.allowed("/timing.html");
  for (let i = 0; i < SWAP_WARMUP_LOADS; i++) await swapTime(browser, timingPage);
  const swaps: number[] = [];
  for (let i = 0; i < SWAP_LOADS; i++) swaps.push(await swapTime(browser, timingPage));

  console.log(`paced: ${SESSION_RATE} req/s per route for ${PACED_SECONDS} s, interleaved, open-loop…`);
  const paced = await pacedPhase([HEALTH_LIVE, session], SESSION_RATE, PACED_SECONDS);
  const health = paced.tallies.get(HEALTH_LIVE.name)!;
  const sessions = paced.tallies.get(session.name)!;

  const healthP50 = percentile(health.samples, 50);
  const healthP99 = percentile(health.samples, 99);
  const sessionP50 = percentile(sessions.samples, 50);
  const sessionP99 = percentile(sessions.samples, 99);
  const allTallies = [...warm.tallies.values(), health, sessions];
  const failures = allTallies.reduce((sum, tally) => sum + tally.failures, 0);
  const problems = allTallies.flatMap((tally) => tally.problems).slice(0, 8);

  const w = [34, 18, 20];
  const row = (cells: string[]) => console.log(cells.map((cell, i) => (i === 0 ? cell.padEnd(w[i]) : cell.padStart(w[i]))).join(""));
  console.log("");
  console.log("Leadline tracking bench (one run; ratios are the goal, absolute times drift on shared machines)");
  row(["public/track.js", `${size.raw} B raw`, `${size.gzipped} B gzipped`]);
  row([`DOMContentLoaded → swap (${swaps.length} loads)`, `median ${ms(percentile(swaps, 50))}`, `p95 ${ms(percentile(swaps, 95))}`]);
  row(["", `min ${ms(Math.min(...swaps))}`, `max ${ms(Math.max(...swaps))}`]);
  row([`paced ${SESSION_RATE} req/s each`, HEALTH_LIVE.next().path, SESSION_PATH]);
  row(["  samples", String(health.samples.length), String(sessions.samples.length)]);
  row(["  p50", ms(healthP50), ms(sessionP50)]);
  row(["  p90", ms(percentile(health.samples, 90)), ms(percentile(sessions.samples, 90))]);
  row(["  p99", ms(healthP99), ms(sessionP99)]);
  row(["  max", ms(Math.max(...health.samples)), ms(Math.max(...sessions.samples))]);
  console.log("");
  const goals = [
    { label: "track.js gzipped", value: `${size.gzipped} B`, goal: `≤ ${GOAL_GZIPPED_BYTES} B`, pass: size.gzipped <= GOAL_GZIPPED_BYTES },
    { label: "session p99 / health p99", value: `${(sessionP99 / healthP99).toFixed(2)}×`, goal: `≤ ${GOAL_P99_RATIO}×`, pass: sessionP99 / healthP99 <= GOAL_P99_RATIO },
    { label: "session p50 / health p50", value: `${(sessionP50 / healthP50).toFixed(2)}×`, goal: "(shown)", pass: true },
    { label: "failed requests", value: String(failures), goal: "0", pass: failures === 0 },
  ];
  for (const goal of goals) console.log(`${goal.label.padEnd(w[0])}${goal.value.padStart(w[1])}   goal ${goal.goal.padEnd(9)} ${goal.pass ? "PASS" : "FAIL"}`);
  console.log("");
  console.log(`notes: pacing lag of the generator p50 ${ms(percentile(paced.lag, 50))}, p99 ${ms(percentile(paced.lag, 99))}; swap times are first visits (a new browser context each, track.js fetched).`);
  if (problems.length) console.log(`first failures:\n  ${problems.join("\n  ")}`);
  const complaints = app
    .serverLog()
    .split("\n")
    .filter((line) => /fail|error|warn/i.test(line));
  if (complaints.length) console.log(`server log: ${complaints.length} warning/error lines, first ones:\n  ${complaints.slice(0, 8).join("\n  ")}`);

  const passed = goals.every((goal) => goal.pass);
  console.log(passed ? "bench:track PASS" : "bench:track FAIL");
  return passed ? 0 : 1;
}

await runBench("bench:track", main, cleanUp);
