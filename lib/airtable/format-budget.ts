import { AIRTABLE_PLANS, DAYS_PER_MONTH, type BudgetEstimate, type BudgetInput } from "./estimate-monthly-calls";
import { MAX_RECORDS_PER_REQUEST } from "./upsert-pipeline-records";

const count = (value: number) => value.toLocaleString("en-US");
const plural = (value: number, one: string, many = `${one}s`) => `${count(value)} ${value === 1 ? one : many}`;

/** The estimate as `npm run airtable:budget` prints it: a table, the plan each column needs, and what the numbers assume. */
export function formatBudget(input: BudgetInput, estimate: BudgetEstimate): string {
  const rows: [string, string, string, string][] = [
    ["", "without webhook", "with webhook", ""],
    ...estimate.lines.map((line): [string, string, string, string] => [line.item, count(line.withoutWebhook), count(line.withWebhook), line.how]),
    ["total", count(estimate.totals.withoutWebhook), count(estimate.totals.withWebhook), ""],
  ];
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column].length)));
  const table = rows.map(([item, without, withHook, how]) =>
    `${item.padEnd(widths[0])}  ${without.padStart(widths[1])}  ${withHook.padStart(widths[2])}  ${how}`.trimEnd(),
  );
  const plans = AIRTABLE_PLANS.map((plan) => `${plan.name} ${Number.isFinite(plan.callsPerMonth) ? `${count(plan.callsPerMonth)} a month` : "no monthly cap"}`);
  return [
    `Airtable API calls a month (${DAYS_PER_MONTH} days) for ${plural(input.clients, "client")}: ${plural(input.calls, "call")} and ${plural(input.texts, "text")}, ` +
      `${plural(input.numbers, "tracking number")}, ${plural(input.pipelineBases, "pipeline base")}.`,
    "",
    ...table,
    "",
    `Plan needed: ${estimate.plans.withoutWebhook} without the webhook, ${estimate.plans.withWebhook} with it (npm run airtable:webhook, then the daily /api/cron/airtable-webhook keeps it).`,
    `Airtable's plans, per workspace: ${plans.join(", ")}.`,
    `The schedules alone, with no calls, texts or edits: ${count(estimate.idle.withoutWebhook)} a month without the webhook, ${count(estimate.idle.withWebhook)} with it.`,
    `Pings and upserts are counted at their most: contacts that arrive together share an upsert of up to ${MAX_RECORDS_PER_REQUEST} rows (down to ${count(estimate.fewestUpserts)}), and changes close together may share a ping.`,
  ].join("\n");
}
