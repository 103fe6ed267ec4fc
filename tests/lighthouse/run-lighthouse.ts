// npm run lighthouse
// Lighthouse (the npm package: mobile emulation, simulated throttling) in the system Chromium
// against `next build && next start` on the embedded database in demo mode: /login signed out,
// then /inbox signed in through the development sign-in, each run three times for median scores.
// Then Chrome's installability check on the signed-in /inbox once the service worker controls it.
// Exits non-zero unless both pages score performance >= 90, accessibility >= 95 and best
// practices >= 95, and Chrome reports no installability errors. Reports land in a temp folder.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureProductionBuild, freePort, startNextServer } from "../support/next-server";
import { auditPage, CATEGORIES, type Category, type PageAudit } from "./audit-page";
import { launchDebuggableChromium } from "./debuggable-chromium";
import { signInWithDevelopmentSignIn } from "./development-sign-in";
import { installabilityErrors } from "./installability-errors";

const DIST_DIR = ".next-test/lighthouse";
const RUNS = 3;
const MINIMUM: Record<Category, number> = { performance: 90, accessibility: 95, "best-practices": 95 };
const SIGNED_IN_AS = "office@acmeplumbing.test";

// Two builds at once on a small machine starve both (the end-to-end run builds too).
async function waitForOtherBuilds(): Promise<void> {
  let said = false;
  while (spawnSync("pgrep", ["-f", "next build"]).status === 0) {
    if (!said) console.log("Waiting for another `next build` to finish…");
    said = true;
    await new Promise((resolve) => setTimeout(resolve, 5000));
  }
}

function printTable(audits: { page: string; audit: PageAudit }[]): void {
  const header = ["page", ...CATEGORIES.map((category) => `${category} (min ${MINIMUM[category]})`)];
  const rows = audits.map(({ page, audit }) => [
    page,
    ...CATEGORIES.map((category) => `${audit.median[category]}  [${audit.runs.map((scores) => scores[category]).join(", ")}]`),
  ]);
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => row[column].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(" | ")} |`;
  console.log(["", line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n"));
  console.log("Median of the runs, each run's score in brackets.");
}

async function main(): Promise<number> {
  await waitForOtherBuilds();
  ensureProductionBuild({ distDir: DIST_DIR });

  const dataDir = mkdtempSync(path.join(os.tmpdir(), "leadline-lighthouse-data-"));
  const reportDir = mkdtempSync(path.join(os.tmpdir(), "leadline-lighthouse-"));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const server = await startNextServer({
    port,
    timeoutMs: 120_000,
    env: {
      NEXT_DIST_DIR: DIST_DIR,
      LEADLINE_DATA_DIR: dataDir,
      // The development sign-in, which a production build offers only in demo mode.
      DEMO_MODE: "true",
      PUBLIC_BASE_URL: baseUrl,
      TWILIO_AUTH_TOKEN: "lighthouse-run-token",
    },
  });
  const browser = await launchDebuggableChromium();
  try {
    const audit = (pagePath: string, reportName: string) =>
      auditPage({ url: baseUrl + pagePath, devtoolsPort: browser.port, runs: RUNS, reportDir, reportName });
    const audits = [{ page: "/login (signed out)", audit: await audit("/login", "login") }];
    await signInWithDevelopmentSignIn(browser.cdpUrl, baseUrl, SIGNED_IN_AS);
    audits.push({ page: `/inbox (${SIGNED_IN_AS})`, audit: await audit("/inbox", "inbox") });
    const installErrors = await installabilityErrors(browser.cdpUrl, `${baseUrl}/inbox`);

    printTable(audits);
    const failures = audits.flatMap(({ page, audit }) =>
      CATEGORIES.filter((category) => audit.median[category] < MINIMUM[category]).map(
        (category) => `${page} ${category} ${audit.median[category]} < ${MINIMUM[category]}:\n    ${audit.findings[category].join("\n    ")}`,
      ),
    );
    console.log(`\nChrome installability on the signed-in /inbox: ${installErrors.length ? installErrors.join("; ") : "no errors (installable)"}`);
    if (installErrors.length) failures.push(`installability errors: ${installErrors.join("; ")}`);
    console.log(`Reports: ${reportDir}`);
    if (failures.length) console.error(`\nFAILED\n  ${failures.join("\n  ")}`);
    return failures.length ? 1 : 0;
  } finally {
    await browser.stop();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

process.exitCode = await main().catch((error: unknown) => {
  console.error(error);
  return 1;
});
