import type { Queryable } from "../db/database";
import type { RuleRow } from "./classify-visit";
import { parseSwapRule } from "./swap-rule";

/** One active config row of a client, as the tracking endpoints need it. */
export type SiteRow = { trackingNumber: string; source?: string; numberType: "Source" | "Pool"; fallbackNumber?: string };

export type SiteConfig = {
  clientId: string;
  /** Host names whose pages (and their subdomains' pages) may ask: every row's Website Domains. */
  domains: string[];
  /** The numbers printed on the site, to swap: every row's Website Numbers, else the Primary Numbers. */
  replace: string[];
  /** Ordered by tracking number, so "the first row" is the same on every instance. */
  rows: SiteRow[];
  /** The rows with a Swap Rule, in the same order. */
  ruleRows: RuleRow[];
};

type ConfigRow = {
  phone_number: string;
  primary_number: string;
  source: string | null;
  number_type: "Source" | "Pool";
  website_domains: string[];
  website_numbers: string[];
  swap_rule: string | null;
  fallback_number: string | null;
};

// Every session and heartbeat needs its client's rows, and pages ask far more often than configs
// change: a few seconds' memory saves a round trip on the page's critical path. Unknown clients
// are remembered too, so made-up ids cost no query each; the map stays bounded all the same.
const SITE_CACHE_TTL_MS = 10_000;
const MAX_CACHED_SITES = 1000;

type Entry = { site: SiteConfig | undefined; storedAt: number };
const holder = globalThis as typeof globalThis & { __leadlineSiteConfigs?: Map<string, Entry> };
const entries = (holder.__leadlineSiteConfigs ??= new Map());

/** A client's active config rows as its site sees them, or undefined for an unknown or inactive client. */
export async function readSiteConfig(db: Queryable, clientId: string): Promise<SiteConfig | undefined> {
  const cached = entries.get(clientId);
  if (cached && Date.now() - cached.storedAt < SITE_CACHE_TTL_MS) return cached.site;
  const rows = await db.query<ConfigRow>(
    `select phone_number, primary_number, source, number_type, website_domains, website_numbers, swap_rule, fallback_number
       from public.tracking_numbers
      where client_id = $1 and active
      order by phone_number`,
    [clientId],
  );
  const site = rows.length === 0 ? undefined : siteConfigOf(clientId, rows);
  entries.delete(clientId);
  entries.set(clientId, { site, storedAt: Date.now() });
  if (entries.size > MAX_CACHED_SITES) entries.delete(entries.keys().next().value!);
  return site;
}

/** Forgets every remembered site, so a config change counts on the next request. */
export function forgetSiteConfigs(): void {
  entries.clear();
}

function siteConfigOf(clientId: string, rows: ConfigRow[]): SiteConfig {
  const printed = new Set(rows.flatMap((row) => row.website_numbers));
  const ruleRows: RuleRow[] = [];
  for (const row of rows) {
    const parsed = row.swap_rule && row.source ? parseSwapRule(row.swap_rule) : undefined;
    if (parsed?.ok) ruleRows.push({ source: row.source!, rule: parsed.rule });
  }
  return {
    clientId,
    domains: [...new Set(rows.flatMap((row) => row.website_domains))],
    replace: [...(printed.size > 0 ? printed : new Set(rows.map((row) => row.primary_number)))].sort(),
    rows: rows.map((row) => ({
      trackingNumber: row.phone_number,
      source: row.source ?? undefined,
      numberType: row.number_type,
      fallbackNumber: row.fallback_number ?? undefined,
    })),
    ruleRows,
  };
}
