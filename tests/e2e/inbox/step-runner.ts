// Runs the scenarios as named steps against one app: PASS or FAIL with the reason, the live
// timings measured, and every browser a step opened closed after it (a failing step's pages are
// screenshotted first, for the one reading the log).
import { mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import type { Browser, BrowserContext, BrowserContextOptions } from "playwright-core";
import type { AppUnderTest, DatabaseKind } from "./app-under-test";
import { signIn, type SignedIn } from "./browser-session";

/** The issue's promise: a new call, text or delivery status shows within 5 s, without a reload. */
export const LIVE_LIMIT_SECONDS = 5;
/** How long a live check waits before calling an update missing, so a late one is reported with its time. */
export const LIVE_WAIT_MS = 20_000;

export type StepContext = {
  app: AppUnderTest;
  browser: Browser;
  /** A new browser signed in as `email`, closed when the step ends. */
  signIn: (email: string, device?: BrowserContextOptions) => Promise<SignedIn>;
  /** A new browser (its own cookies, storage and cache), signed in as nobody, closed when the step ends. */
  newContext: (options?: BrowserContextOptions) => Promise<BrowserContext>;
  /** Records a live timing; fails the step when it is over LIVE_LIMIT_SECONDS. */
  measure: (what: string, seconds: number) => void;
  /** A line printed under the step's verdict (what was checked, or why a check cannot be made here). */
  note: (text: string) => void;
};

export type Scenario = { name: string; onlyOn?: DatabaseKind; run: (step: StepContext) => Promise<void> };

export type StepResult = { scenario: string; database: DatabaseKind; verdict: "PASS" | "FAIL" | "not run"; timings: string[]; reason?: string };

const FAILURE_SHOTS = path.join(os.tmpdir(), `leadline-e2e-failures-${process.pid}`);

export async function runScenarios(scenarios: Scenario[], app: AppUnderTest, browser: Browser): Promise<StepResult[]> {
  const results: StepResult[] = [];
  for (const [index, scenario] of scenarios.entries()) {
    const label = `${index + 1}. ${scenario.name}`;
    if (scenario.onlyOn && scenario.onlyOn !== app.database) {
      results.push({ scenario: label, database: app.database, verdict: "not run", timings: [], reason: `runs on ${scenario.onlyOn} only` });
      continue;
    }
    results.push(await runStep(label, scenario, app, browser));
  }
  return results;
}

async function runStep(label: string, scenario: Scenario, app: AppUnderTest, browser: Browser): Promise<StepResult> {
  const opened: BrowserContext[] = [];
  const timings: string[] = [];
  const notes: string[] = [];
  const overLimit: string[] = [];
  const logFrom = app.serverLog().length;
  const started = performance.now();
  const step: StepContext = {
    app,
    browser,
    async signIn(email, device) {
      const session = await signIn(browser, app, email, device);
      opened.push(session.context);
      return session;
    },
    async newContext(options) {
      const context = await browser.newContext(options);
      opened.push(context);
      return context;
    },
    measure(what, seconds) {
      timings.push(`${what} ${seconds.toFixed(2)} s`);
      if (seconds > LIVE_LIMIT_SECONDS) overLimit.push(`${what} took ${seconds.toFixed(2)} s, over ${LIVE_LIMIT_SECONDS} s`);
    },
    note: (text) => notes.push(text),
  };

  let reason: string | undefined;
  try {
    await scenario.run(step);
    if (overLimit.length > 0) reason = overLimit.join("; ");
  } catch (error) {
    reason = (error as Error).message.split("\n").slice(0, 6).join("\n    ");
  }
  if (reason) await screenshotPages(label, app.database, opened, notes);
  for (const context of opened) await context.close().catch(() => {});

  const verdict = reason ? "FAIL" : "PASS";
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`${verdict} [${app.database}] ${label} (${seconds} s)${timings.length ? ` — ${timings.join(", ")}` : ""}`);
  for (const line of notes) console.log(`    ${line}`);
  if (reason) {
    console.log(`    reason: ${reason}`);
    const serverLines = app.serverLog().slice(logFrom).trim().split("\n").filter(Boolean).slice(-15);
    if (serverLines.length > 0) console.log(`    server log during the step (last ${serverLines.length} lines):\n      ${serverLines.join("\n      ")}`);
  }
  return { scenario: label, database: app.database, verdict, timings, reason };
}

async function screenshotPages(label: string, database: DatabaseKind, opened: BrowserContext[], notes: string[]): Promise<void> {
  mkdirSync(FAILURE_SHOTS, { recursive: true });
  for (const [i, context] of opened.entries()) {
    for (const [j, page] of context.pages().entries()) {
      const file = path.join(FAILURE_SHOTS, `${database}-${label.replace(/[^a-z0-9]+/gi, "-").slice(0, 40)}-${i}-${j}.png`);
      try {
        await page.screenshot({ path: file, timeout: 5_000 });
        notes.push(`page at failure (${page.url()}): ${file}`);
      } catch {
        // a page that cannot be drawn has nothing to show
      }
    }
  }
}

/** Prints the scenario × database table and the totals; the exit code: 0 when something passed and nothing failed. */
export function reportRun(name: string, results: StepResult[], databases: DatabaseKind[], startedAt: number): number {
  console.log("");
  printSummary(results, databases);
  const failed = results.filter((result) => result.verdict === "FAIL").length;
  const passed = results.filter((result) => result.verdict === "PASS").length;
  console.log(`\n${name}: ${passed} passed, ${failed} failed in ${((performance.now() - startedAt) / 1000).toFixed(0)} s`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

/** The scenario × database table, with the live timings. */
function printSummary(results: StepResult[], databases: DatabaseKind[]): void {
  const scenarios = [...new Set(results.map((result) => result.scenario))];
  const cell = (scenario: string, database: DatabaseKind) => {
    const result = results.find((r) => r.scenario === scenario && r.database === database);
    if (!result) return "not run";
    return [result.verdict, ...result.timings].join(" ");
  };
  const rows = scenarios.map((scenario) => [scenario, ...databases.map((database) => cell(scenario, database))]);
  const header = ["scenario", ...databases];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => `| ${cells.map((text, column) => text.padEnd(widths[column])).join(" | ")} |`;
  console.log(line(header));
  console.log(`|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`);
  for (const row of rows) console.log(line(row));
}
