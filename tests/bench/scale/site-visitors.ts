// Visitors of one client's site, through bench:scale's proxy, asking for their number as track.js
// does (POST /api/track/session, then heartbeats), and what the instances told them: whether a pool
// number was ever held by two visitors at once, and whether one address's requests were counted
// once across instances.
import { randomBytes } from "node:crypto";
import { TRACKING_REQUESTS_PER_MINUTE, trackingRateKey } from "../../../lib/tracking/tracking-limits";
import type { Query } from "../count-played-traffic";
import { INSTANCE_HEADER } from "./round-robin-proxy";

/** What a page was told: a leased number comes with a heartbeat; the fallback or no number without. */
export type SessionAnswer = { status: number; number: string | null; leased: boolean; instance: string };

const REQUEST_TIMEOUT_MS = 20_000;

export const newVisitor = () => randomBytes(16).toString("base64url");

export function siteVisitors(options: { proxyUrl: string; clientId: string; origin: string }) {
  const { proxyUrl, clientId, origin } = options;

  async function post(path: string, body: unknown, ip: string): Promise<{ status: number; json: Record<string, unknown>; instance: string }> {
    try {
      const response = await fetch(`${proxyUrl}${path}`, {
        method: "POST",
        headers: { "content-type": "text/plain;charset=UTF-8", origin, "x-forwarded-for": ip },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await response.text();
      const json = response.headers.get("content-type")?.includes("json") ? (JSON.parse(text) as Record<string, unknown>) : {};
      return { status: response.status, json, instance: response.headers.get(INSTANCE_HEADER) ?? "?" };
    } catch {
      return { status: 0, json: {}, instance: "?" };
    }
  }

  return {
    /** A page view: a paid Google click (`paid`) classifies into the client's pool; otherwise a direct visit. */
    async session(visitor: string, ip: string, paid = true): Promise<SessionAnswer> {
      const landing = paid ? `${origin}/?gclid=scale` : `${origin}/`;
      const touch = paid ? { source: "google", medium: "cpc", campaign: "scale", gclid: `scale-${visitor}`, landing, at: Date.now() } : { landing, at: Date.now() };
      const { status, json, instance } = await post("/api/track/session", { client: clientId, visitor, touch, page: landing }, ip);
      return { status, number: (json.number as string | null | undefined) ?? null, leased: status === 200 && json.heartbeat != null, instance };
    },
    /** The page's heartbeat: whether the visitor still holds `number` (undefined when there was no answer). */
    async heartbeat(visitor: string, number: string, ip: string): Promise<boolean | undefined> {
      const { status, json } = await post("/api/track/heartbeat", { client: clientId, visitor, number }, ip);
      return status === 200 ? json.held === true : undefined;
    },
  };
}

/**
 * Who holds each pool number by what the visitors were told. A number told as leased to a second
 * visitor while the first still holds it is a conflict. `leasesEnded()` starts over, once the
 * leases have run out.
 */
export class LeaseLedger {
  private holders = new Map<string, string>();
  conflicts = 0;
  leased = 0;
  fallbacks = 0;
  unanswered = 0;

  record(visitor: string, answer: SessionAnswer): void {
    if (answer.status !== 200) {
      this.unanswered += 1;
      return;
    }
    if (!answer.leased || !answer.number) {
      this.fallbacks += 1;
      return;
    }
    this.leased += 1;
    const holder = this.holders.get(answer.number);
    if (holder && holder !== visitor) this.conflicts += 1;
    else this.holders.set(answer.number, visitor);
  }

  holding(): [number: string, visitor: string][] {
    return [...this.holders];
  }

  leasesEnded(): void {
    this.holders.clear();
  }
}

/** Leases of the client's numbers held by two different visits over overlapping times, as Postgres recorded them. */
export async function overlappingLeases(query: Query, clientId: string): Promise<number> {
  const [row] = await query<{ overlaps: number }>(
    `select count(*)::int as overlaps
       from public.visit_leases a
       join public.visit_leases b on b.tracking_number = a.tracking_number and b.id > a.id and b.visit_id <> a.visit_id
      where a.client_id = $1 and a.leased_at < b.expires_at and b.leased_at < a.expires_at`,
    [clientId],
  );
  return row.overlaps;
}

/** Lets 31 minutes pass for the client's leases: the database's clock cannot be moved, so the rows are. */
export async function endLeases(query: Query, clientId: string): Promise<void> {
  await query(
    `with numbers as (
       update public.number_leases set leased_at = leased_at - interval '31 minutes', expires_at = expires_at - interval '31 minutes'
        where client_id = $1 and leased_at is not null
     )
     update public.visit_leases set leased_at = leased_at - interval '31 minutes', expires_at = expires_at - interval '31 minutes' where client_id = $1`,
    [clientId],
  );
}

export type RateLimitVerdicts = { sent: number; allowed: number; refused: number; unanswered: number; expectedAllowed: number; expectedRefused: number; counted: number; instances: number };

/**
 * `requests` page views from one address (an office behind one NAT: each a different visitor),
 * `concurrency` at a time, spread by the proxy over every instance, compared with the per-minute
 * counts Postgres kept for that address: each window allows its first 120.
 */
export async function probeRateLimit(
  visitors: ReturnType<typeof siteVisitors>,
  query: Query,
  options: { ip: string; requests: number; concurrency: number },
): Promise<RateLimitVerdicts> {
  const answers: SessionAnswer[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < options.requests) {
        next += 1;
        answers.push(await visitors.session(newVisitor(), options.ip, false));
      }
    }),
  );
  const windows = await query<{ hits: number }>("select hits from internal.rate_limits where key = $1", [trackingRateKey(options.ip)]);
  const limit = TRACKING_REQUESTS_PER_MINUTE;
  return {
    sent: options.requests,
    allowed: answers.filter((answer) => answer.status === 200).length,
    refused: answers.filter((answer) => answer.status === 429).length,
    unanswered: answers.filter((answer) => answer.status !== 200 && answer.status !== 429).length,
    expectedAllowed: windows.reduce((sum, window) => sum + Math.min(window.hits, limit), 0),
    expectedRefused: windows.reduce((sum, window) => sum + Math.max(0, window.hits - limit), 0),
    counted: windows.reduce((sum, window) => sum + window.hits, 0),
    instances: new Set(answers.map((answer) => answer.instance)).size,
  };
}
