import type { Viewer } from "../auth/viewer";
import type { Database } from "../db/database";
import { BYTE_ORDER_MARK, csvRow } from "../reports/csv-row";
import { readUsageMonth, USAGE_COUNTS, type UsageLine } from "./read-usage-month";
import type { UsageMonth } from "./usage-month";

export const USAGE_CSV_HEADER = [
  "Month",
  "Client ID",
  "Client",
  ...USAGE_COUNTS.map((count) => count.label),
  "Currency",
  "Twilio cost",
  "Entries without a price",
  "Markup %",
  "Invoice total",
];

/**
 * The /usage page's table as CSV: one line per client, then every client's together, with the
 * same numbers as the page. Costs are exact decimals without a currency sign (the Currency column
 * names it). Client names come from Airtable, so csvRow keeps them text.
 */
export async function exportUsageCsv(db: Database, viewer: Viewer, month: UsageMonth): Promise<string> {
  const report = await readUsageMonth(db, viewer, month);
  const lines = [...report.clients, report.total].map((line) => csvRow(usageCsvValues(month, line)));
  return BYTE_ORDER_MARK + csvRow(USAGE_CSV_HEADER) + lines.join("");
}

export function usageCsvFileName(month: UsageMonth): string {
  return `leadline-usage-${month}.csv`;
}

function usageCsvValues(month: UsageMonth, line: UsageLine) {
  return [
    month,
    line.clientId ?? "",
    line.clientName,
    ...USAGE_COUNTS.map((count) => line[count.key]),
    line.currencies.join(" "),
    line.cost,
    line.unpriced,
    line.markupPercent,
    line.invoiceTotal,
  ];
}
