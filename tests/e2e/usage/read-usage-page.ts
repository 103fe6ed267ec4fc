// What /usage shows, read as a person reads it: the table's rows (the markup from its field), and
// the CSV its "Download CSV" link gives.
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { USAGE_CSV_HEADER } from "../../../lib/usage/export-usage-csv";
import { USAGE_COUNTS, type UsageCounts } from "../../../lib/usage/read-usage-month";
import { parseCsv } from "../../reports/parse-csv";
import type { ShownLine } from "./usage-run";

// "$1,234.56", "1,234", "0.00" → 1234.56, 1234, 0
const amount = (text: string) => Number(text.replace(/[^0-9.]/g, ""));

/** The table's client rows and its all-clients row (client id ""), in order. */
export async function readUsageTable(page: Page): Promise<ShownLine[]> {
  const rows = await page.$$eval("#usage-table tbody tr, #usage-table tfoot tr", (trs) =>
    trs.map((tr) => ({
      clientId: (tr as HTMLElement).dataset.client ?? "",
      cells: [...tr.querySelectorAll("th, td")].map((cell) => (cell.querySelector("input[name=markupPercent]") as HTMLInputElement | null)?.value ?? cell.textContent!.trim()),
    })),
  );
  return rows.map(({ clientId, cells }) => {
    const [clientName, ...figures] = cells;
    const counts = USAGE_COUNTS.map((count, i) => [count.key, amount(figures[i])]);
    const [cost, unpriced, markup, invoice] = figures.slice(USAGE_COUNTS.length);
    return {
      clientId,
      clientName,
      ...(Object.fromEntries(counts) as UsageCounts),
      cost: amount(cost),
      unpriced: amount(unpriced),
      markupPercent: markup === "—" ? null : amount(markup),
      invoiceCents: Math.round(amount(invoice) * 100),
    };
  });
}

/** Clicks "Download CSV" and reads the file the browser saved. */
export async function downloadUsageCsv(page: Page): Promise<ShownLine[]> {
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV" }).click()]);
  const text = readFileSync(await download.path(), "utf8");
  if (!text.startsWith("\uFEFF")) throw new Error("the CSV has no byte order mark, so Excel would garble names");
  const [header, ...rows] = parseCsv(text.slice(1));
  if (header.join(",") !== USAGE_CSV_HEADER.join(",")) throw new Error(`the CSV's header is ${header.join(",")}`);
  const cell = (row: string[], name: string) => row[USAGE_CSV_HEADER.indexOf(name)];
  return rows.map((row) => ({
    clientId: cell(row, "Client ID"),
    clientName: cell(row, "Client"),
    ...(Object.fromEntries(USAGE_COUNTS.map((count) => [count.key, Number(cell(row, count.label))])) as UsageCounts),
    cost: Number(cell(row, "Twilio cost")),
    unpriced: Number(cell(row, "Entries without a price")),
    markupPercent: cell(row, "Markup %") === "" ? null : Number(cell(row, "Markup %")),
    invoiceCents: Math.round(Number(cell(row, "Invoice total")) * 100),
  }));
}

/** Where two readings of the same month differ, field by field; empty when they agree. */
export function differences(what: string, expected: Omit<ShownLine, "clientName">[], actual: Omit<ShownLine, "clientName">[]): string[] {
  const problems: string[] = [];
  if (expected.length !== actual.length) problems.push(`${what}: ${expected.length} rows against ${actual.length}`);
  for (const line of expected) {
    const other = actual.find((candidate) => candidate.clientId === line.clientId);
    if (!other) {
      problems.push(`${what}: no row for ${line.clientId || "every client"}`);
      continue;
    }
    for (const [field, value] of Object.entries(line) as [keyof typeof line, unknown][]) {
      if (other[field] !== value) problems.push(`${what}, ${line.clientId || "every client"}: ${field} ${String(value)} against ${String(other[field])}`);
    }
  }
  return problems;
}
