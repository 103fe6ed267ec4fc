import { z } from "zod";

export const DEFAULT_REPORT_DAYS = 30;
export const MAX_REPORT_DAYS = 366;
const DAY_MS = 86_400_000;

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date like 2026-11-30")
  .refine((day) => {
    const midnight = new Date(`${day}T00:00:00Z`);
    return !Number.isNaN(midnight.getTime()) && midnight.toISOString().slice(0, 10) === day;
  }, "is not a real date");

// A repeated parameter counts once, as the inbox reads it; an empty field is a missing one.
const firstFilled = (value: unknown) => {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === "string" && first.trim() === "" ? undefined : typeof first === "string" ? first.trim() : first;
};

/** What the reports page and the CSV export accept from the URL: from, to (UTC days) and, for staff, a client. */
export const reportRangeInputSchema = z.object({
  from: z.preprocess(firstFilled, isoDay.optional()),
  to: z.preprocess(firstFilled, isoDay.optional()),
  client: z.preprocess(firstFilled, z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, "is not a client id").optional()),
});
export type ReportRangeInput = z.infer<typeof reportRangeInputSchema>;

/**
 * Whole UTC days, `from` and `to` both included. The deployment has no agency time zone setting,
 * so days are UTC everywhere (the page says so) rather than the server's or the browser's zone.
 */
export type ReportRange = {
  from: string;
  to: string;
  /** The client asked for; null for every client. Only staff choose (lib/inbox/visible-client-ids.ts). */
  client: string | null;
};

export type ReportRangeResult = { ok: true; range: ReportRange } | { ok: false; problem: string; range: ReportRange };

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export function daysInRange(range: Pick<ReportRange, "from" | "to">): string[] {
  const count = Math.round((Date.parse(`${range.to}T00:00:00Z`) - Date.parse(`${range.from}T00:00:00Z`)) / DAY_MS) + 1;
  return Array.from({ length: count }, (_, i) => addDays(range.from, i));
}

/** The half-open instant range the SQL compares against: from's midnight to the midnight after `to`. */
export function rangeBounds(range: Pick<ReportRange, "from" | "to">): { start: string; end: string } {
  return { start: `${range.from}T00:00:00Z`, end: `${addDays(range.to, 1)}T00:00:00Z` };
}

export function defaultReportRange(now: Date): ReportRange {
  const to = now.toISOString().slice(0, 10);
  return { from: addDays(to, 1 - DEFAULT_REPORT_DAYS), to, client: null };
}

/**
 * Parses the URL's range. A missing end is today, a missing start is 30 days before the end; a
 * range that is malformed, backwards or longer than 366 days is refused with the default range
 * beside the problem, so a page can show the problem and still show something.
 */
export function parseReportRange(input: Record<string, unknown>, now: Date = new Date()): ReportRangeResult {
  const fallback = defaultReportRange(now);
  const parsed = reportRangeInputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, problem: `${issue.path.join(".")} ${issue.message}`, range: fallback };
  }
  const client = parsed.data.client ?? null;
  const to = parsed.data.to ?? (parsed.data.from ? minDay(addDays(parsed.data.from, DEFAULT_REPORT_DAYS - 1), fallback.to) : fallback.to);
  const from = parsed.data.from ?? addDays(to, 1 - DEFAULT_REPORT_DAYS);
  const range = { from, to, client };
  if (from > to) return { ok: false, problem: "from must be on or before to", range: { ...fallback, client } };
  if (daysInRange(range).length > MAX_REPORT_DAYS) {
    return { ok: false, problem: `a range may cover at most ${MAX_REPORT_DAYS} days`, range: { ...fallback, client } };
  }
  return { ok: true, range };
}

function minDay(a: string, b: string): string {
  return a < b ? a : b;
}
