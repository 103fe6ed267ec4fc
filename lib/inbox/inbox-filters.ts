import { z } from "zod";
import { LEAD_STATUSES } from "./lead-status";

export type SearchParams = Record<string, string | string[] | undefined>;

// A URL is typed by people and shared: a value that makes no sense is dropped, not an error page.
const param = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => {
    const first = Array.isArray(value) ? value[0] : value;
    return typeof first === "string" && first.trim() !== "" ? first.trim() : undefined;
  }, schema.optional().catch(undefined));

const day = z.iso.date();

export const inboxFiltersSchema = z.object({
  /** A client id; only agency staff choose it, a client user always sees their own. */
  client: param(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/)),
  status: param(z.enum(LEAD_STATUSES)),
  source: param(z.string().max(100)),
  /** Only leads with a missed call. */
  missed: param(z.enum(["1", "true", "on"]).transform(() => true as const)),
  /** Last activity on or after this day (UTC), YYYY-MM-DD. */
  from: param(day),
  /** Last activity on or before this day (UTC), YYYY-MM-DD. */
  to: param(day),
  /** A number in any format, or part of one, or part of a lead's name. */
  q: param(z.string().max(100)),
});
export type InboxFilters = z.infer<typeof inboxFiltersSchema>;

const inboxSearchParamsSchema = inboxFiltersSchema.extend({ cursor: param(z.string().max(200)) });

export function parseInboxSearchParams(params: SearchParams): { filters: InboxFilters; cursor?: string } {
  const { cursor, ...filters } = inboxSearchParamsSchema.parse(params);
  return { filters, cursor };
}

/** The inbox URL's query for these filters (and a page), so a view can be shared and reloaded. */
export function inboxQueryString(filters: InboxFilters, cursor?: string): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...filters, cursor })) {
    if (value === undefined) continue;
    query.set(key, value === true ? "1" : String(value));
  }
  const text = query.toString();
  return text === "" ? "" : `?${text}`;
}

export function hasActiveFilters(filters: InboxFilters): boolean {
  return Object.entries(filters).some(([key, value]) => key !== "client" && value !== undefined);
}
