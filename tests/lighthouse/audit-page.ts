// Lighthouse's own navigation audit of one page, several runs, median score per category.
import { writeFileSync } from "node:fs";
import path from "node:path";
import lighthouse, { type Result } from "lighthouse";

export const CATEGORIES = ["performance", "accessibility", "best-practices"] as const;
export type Category = (typeof CATEGORIES)[number];
export type Scores = Record<Category, number>;

export type PageAudit = {
  runs: Scores[];
  median: Scores;
  /** Why a category lost points, from the run with the median performance score. */
  findings: Record<Category, string[]>;
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function auditPage(options: { url: string; devtoolsPort: number; runs: number; reportDir: string; reportName: string }): Promise<PageAudit> {
  const results: Result[] = [];
  for (let run = 1; run <= options.runs; run++) {
    // Defaults: mobile form factor and screen, simulated slow-4G and 4× CPU throttling.
    const outcome = await lighthouse(options.url, {
      port: options.devtoolsPort,
      hostname: "127.0.0.1",
      output: ["json", "html"],
      logLevel: "error",
      onlyCategories: [...CATEGORIES],
    });
    if (!outcome) throw new Error(`Lighthouse returned nothing for ${options.url}`);
    const { lhr, report } = outcome;
    if (lhr.runtimeError) throw new Error(`Lighthouse could not audit ${options.url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
    const landed = new URL(lhr.finalDisplayedUrl).pathname;
    if (landed !== new URL(options.url).pathname) throw new Error(`Lighthouse asked for ${options.url} but landed on ${lhr.finalDisplayedUrl}`);
    const [json, html] = report as string[];
    writeFileSync(path.join(options.reportDir, `${options.reportName}-${run}.report.json`), json);
    writeFileSync(path.join(options.reportDir, `${options.reportName}-${run}.report.html`), html);
    results.push(lhr);
  }

  const runs = results.map(scoresOf);
  const middle = median(runs.map((scores) => scores.performance));
  const representative = results[runs.findIndex((scores) => scores.performance === middle)];
  return {
    runs,
    median: Object.fromEntries(CATEGORIES.map((category) => [category, median(runs.map((scores) => scores[category]))])) as Scores,
    findings: Object.fromEntries(CATEGORIES.map((category) => [category, findingsOf(representative, category)])) as PageAudit["findings"],
  };
}

function scoresOf(lhr: Result): Scores {
  return Object.fromEntries(CATEGORIES.map((category) => [category, Math.round((lhr.categories[category]?.score ?? 0) * 100)])) as Scores;
}

function findingsOf(lhr: Result, category: Category): string[] {
  return lhr.categories[category].auditRefs
    .filter((ref) => ref.weight > 0)
    .map((ref) => lhr.audits[ref.id])
    .filter((audit) => audit.score !== null && audit.score < 1)
    .map((audit) => `${audit.id} (${Math.round((audit.score ?? 0) * 100)})${audit.displayValue ? `: ${audit.displayValue}` : ""}${itemsOf(audit)}`);
}

// The elements an accessibility or best-practices audit flagged, so the owner of the page can find them.
function itemsOf(audit: Result["audits"][string]): string {
  const details = audit.details;
  if (!details || details.type !== "table" || details.items.length === 0) return "";
  const described = details.items.slice(0, 5).map((item) => {
    const node = item.node as { type?: string; selector?: string; snippet?: string } | undefined;
    if (node?.type === "node") return node.snippet ?? node.selector ?? "";
    return typeof item.url === "string" ? item.url : typeof item.description === "string" ? item.description : "";
  });
  return `\n      ${described.filter(Boolean).join("\n      ")}`;
}
