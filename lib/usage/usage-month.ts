import { z } from "zod";

/** A UTC calendar month, "2026-11": what /usage and its CSV show, and what an invoice covers. */
export type UsageMonth = string;

const usageMonthSchema = z.string().trim().regex(/^2\d{3}-(0[1-9]|1[0-2])$/, "must be a month like 2026-11");

export type UsageMonthResult = { ok: true; month: UsageMonth } | { ok: false; problem: string; month: UsageMonth };

export function currentUsageMonth(now: Date): UsageMonth {
  return now.toISOString().slice(0, 7);
}

/** The month `months` after (or before, when negative) `month`. */
export function shiftUsageMonth(month: UsageMonth, months: number): UsageMonth {
  const [year, monthNumber] = month.split("-").map(Number);
  return new Date(Date.UTC(year, monthNumber - 1 + months, 1)).toISOString().slice(0, 7);
}

/** The half-open instant range an entry must fall in: the month's first instant up to the next month's. */
export function usageMonthBounds(month: UsageMonth): { start: string; end: string } {
  return { start: `${month}-01T00:00:00.000Z`, end: `${shiftUsageMonth(month, 1)}-01T00:00:00.000Z` };
}

/**
 * The `month` parameter of /usage and its CSV: this UTC month when absent (or empty). A malformed
 * one is refused with this month beside the problem, so the page can say so and still show one.
 */
export function parseUsageMonth(input: Record<string, unknown>, now: Date = new Date()): UsageMonthResult {
  const value = Array.isArray(input.month) ? input.month[0] : input.month;
  const current = currentUsageMonth(now);
  if (value === undefined || value === "") return { ok: true, month: current };
  const parsed = usageMonthSchema.safeParse(value);
  return parsed.success ? { ok: true, month: parsed.data } : { ok: false, problem: `month ${parsed.error.issues[0].message}`, month: current };
}

/** "November 2026". */
export function longUsageMonth(month: UsageMonth): string {
  return new Date(`${month}-01T00:00:00Z`).toLocaleDateString("en-US", { timeZone: "UTC", month: "long", year: "numeric" });
}
