import { vercelRunsPerDay } from "../cron/vercel-runs-per-day";
import { LIST_PAGE_SIZE } from "./list-all-records";
import { SCHEDULER_SLACK_MS, SYNC_EVERY_MS_WITH_WEBHOOK } from "./scheduled-sync-turn";
import { MAX_RECORDS_PER_REQUEST } from "./upsert-pipeline-records";

export const DAYS_PER_MONTH = 30;

/** Airtable's monthly API calls per workspace, by plan (Business and above: no monthly cap). */
export const AIRTABLE_PLANS = [
  { name: "Free", callsPerMonth: 1_000 },
  { name: "Team", callsPerMonth: 100_000 },
  { name: "Business", callsPerMonth: Number.POSITIVE_INFINITY },
] as const;

// Each call queues its lead's pipeline row twice, and the drainer sends each right after its webhook:
// when the call is logged, and when its outcome (answered or missed) is known. A text queues once.
const UPSERTS_PER_CALL = 2;
const UPSERTS_PER_TEXT = 1;

export type BudgetInput = {
  clients: number;
  /** Calls a month, all clients together. */
  calls: number;
  /** Texts a month, every one logged: from leads, relayed replies, inbox replies and text-backs. */
  texts: number;
  /** Rows in the Client Configuration table (one per tracking number). */
  numbers: number;
  /** Bases holding a Lead Pipeline: the agency's, and each client's own. */
  pipelineBases: number;
  /** Edits to the Client Configuration table a month. */
  configEdits: number;
  /** Statuses staff change by hand in the Lead Pipeline a month. */
  statusEdits: number;
  /** Tracking numbers added a month. */
  newNumbers: number;
};

/** One kind of request: what it is, how it was counted, and its calls a month without and with the webhook. */
export type BudgetLine = { item: string; how: string; withoutWebhook: number; withWebhook: number };
export type BudgetEstimate = {
  lines: BudgetLine[];
  totals: { withoutWebhook: number; withWebhook: number };
  /** The schedules alone (syncs, pulls, refreshes), with no calls, texts or edits at all. */
  idle: { withoutWebhook: number; withWebhook: number };
  /** The upserts when contacts arrive together and the drainer fills each request. */
  fewestUpserts: number;
  plans: { withoutWebhook: string; withWebhook: string };
};

/**
 * The Airtable API calls a month this deployment makes, each kind from the schedule in vercel.json
 * and the constants the code runs on (page and batch sizes, the hourly cadence with a webhook). An
 * upper bound: every ping is counted as its own sync, every contact as its own request.
 */
export function estimateMonthlyCalls(input: BudgetInput): BudgetEstimate {
  const syncRunsPerDay = vercelRunsPerDay("/api/cron/sync-config");
  const tickMs = (24 * 3600_000) / syncRunsPerDay;
  // With a live webhook a part is synced on the first tick at least an hour (less the slack) after the last.
  const hourlyRunsPerDay = (24 * 3600_000) / (Math.ceil((SYNC_EVERY_MS_WITH_WEBHOOK - SCHEDULER_SLACK_MS) / tickMs) * tickMs);
  const pages = Math.max(1, Math.ceil(input.numbers / LIST_PAGE_SIZE));
  // Each base's webhooks are listed once, then each refreshed: the agency's base holds two, a client's one.
  const refreshRequests = vercelRunsPerDay("/api/cron/airtable-webhook") * (2 * input.pipelineBases + 1);
  const upserts = input.calls * UPSERTS_PER_CALL + input.texts * UPSERTS_PER_TEXT;
  const perMonth = (perDay: number) => Math.round(perDay * DAYS_PER_MONTH);

  const every = `every ${minutes(tickMs)} without a webhook, every ${minutes((24 * 3600_000) / hourlyRunsPerDay)} with one`;
  const pagesOf = `${pages} ${pages === 1 ? "request" : "requests"} of up to ${LIST_PAGE_SIZE} rows for ${input.numbers.toLocaleString("en-US")} rows`;
  const bases = `${input.pipelineBases} ${input.pipelineBases === 1 ? "base" : "bases"}`;
  const lines: BudgetLine[] = [
    { item: "config sync", how: `${every}; ${pagesOf}`, withoutWebhook: perMonth(syncRunsPerDay * pages), withWebhook: perMonth(hourlyRunsPerDay * pages) },
    { item: "config pings", how: `${input.configEdits.toLocaleString("en-US")} edits, each synced at once`, withoutWebhook: 0, withWebhook: input.configEdits * pages },
    { item: "status pulls", how: `${every}; 1 request per pipeline base (${bases})`, withoutWebhook: perMonth(syncRunsPerDay * input.pipelineBases), withWebhook: perMonth(hourlyRunsPerDay * input.pipelineBases) },
    { item: "status pings", how: `${input.statusEdits.toLocaleString("en-US")} statuses changed by hand, each pulled at once`, withoutWebhook: 0, withWebhook: input.statusEdits },
    { item: "webhook refresh", how: `daily: each base's webhooks listed, then each refreshed (${2 * input.pipelineBases + 1} requests)`, withoutWebhook: 0, withWebhook: perMonth(refreshRequests) },
    { item: "pipeline upserts", how: `${UPSERTS_PER_CALL} per call (logged, then its outcome), ${UPSERTS_PER_TEXT} per text, each sent right after its webhook`, withoutWebhook: upserts, withWebhook: upserts },
    { item: "config read-through", how: `${input.newNumbers.toLocaleString("en-US")} new numbers, at most 1 read each when a call beats the sync to the row`, withoutWebhook: input.newNumbers, withWebhook: input.newNumbers },
  ];
  const total = (column: "withoutWebhook" | "withWebhook") => lines.reduce((sum, line) => sum + line[column], 0);
  const totals = { withoutWebhook: total("withoutWebhook"), withWebhook: total("withWebhook") };
  const scheduled = lines.filter((line) => ["config sync", "status pulls", "webhook refresh"].includes(line.item));
  const idle = (column: "withoutWebhook" | "withWebhook") => scheduled.reduce((sum, line) => sum + line[column], 0);
  return {
    lines,
    totals,
    idle: { withoutWebhook: idle("withoutWebhook"), withWebhook: idle("withWebhook") },
    fewestUpserts: Math.ceil(upserts / MAX_RECORDS_PER_REQUEST),
    plans: { withoutWebhook: planFor(totals.withoutWebhook), withWebhook: planFor(totals.withWebhook) },
  };
}

function minutes(ms: number): string {
  const value = Math.round(ms / 60_000);
  if (value % 60 === 0) return value === 60 ? "hour" : `${value / 60} hours`;
  return value === 1 ? "minute" : `${value} minutes`;
}

export function planFor(callsPerMonth: number): string {
  return AIRTABLE_PLANS.find((plan) => callsPerMonth <= plan.callsPerMonth)!.name;
}
