// A client's site as the tracking endpoints meet it: its config rows in the snapshot (as a sync
// from Airtable leaves them), and the requests its pages send, each from its own address unless
// a test says otherwise, through the exported route handlers.
import { randomBytes, randomInt } from "node:crypto";
import { POST as heartbeatRoute } from "@/app/api/track/heartbeat/route";
import { POST as sessionRoute } from "@/app/api/track/session/route";
import type { TrackingNumberConfig } from "@/lib/config/tracking-number-config";
import { getDatabase } from "@/lib/db/get-database";
import type { Touch } from "@/lib/tracking/tracking-requests";
import { addTrackingNumber, phoneNumber } from "../support/tracking-numbers";

export type Site = { clientId: string; domain: string; origin: string; primaryNumber: string };
export type Row = Partial<TrackingNumberConfig>;

/** A client of its own, on `<client>.example`, with the rows given (each a fresh tracking number). */
export async function openSite(rows: Row[], options: { domains?: string[] } = {}): Promise<Site & { numbers: string[] }> {
  const clientId = `site-${randomBytes(4).toString("hex")}`;
  const domain = `${clientId}.example`;
  const primaryNumber = phoneNumber("214");
  const numbers: string[] = [];
  for (const row of rows) {
    const config = await addTrackingNumber({
      clientId,
      clientName: `Site ${clientId}`,
      primaryNumber,
      smsForwardNumber: primaryNumber,
      websiteDomains: options.domains ?? [domain],
      source: undefined,
      ...row,
    });
    numbers.push(config.trackingNumber);
  }
  return { clientId, domain, origin: `https://www.${domain}`, primaryNumber, numbers };
}

/** A Pool of `size` numbers for a source, with an optional fallback and Source row beside it. */
export async function openPoolSite(size: number, options: { source?: string; fallbackNumber?: string; sourceRow?: boolean } = {}) {
  const source = options.source ?? "Google Ads";
  const pool: Row[] = Array.from({ length: size }, () => ({ numberType: "Pool", source, fallbackNumber: options.fallbackNumber }));
  const site = await openSite(options.sourceRow === false ? pool : [...pool, { numberType: "Source", source }]);
  return { ...site, pool: site.numbers.slice(0, size).sort(), sourceNumber: options.sourceRow === false ? undefined : site.numbers[size] };
}

export const visitorId = (): string => randomBytes(16).toString("base64url");
export const address = (): string => `198.51.${randomInt(0, 256)}.${randomInt(1, 255)}`;

export const GOOGLE_AD_CLICK: Partial<Touch> = { source: "google", medium: "cpc", campaign: "spring", gclid: "Cj0KCQ-test", landing: "https://www.example.test/?gclid=Cj0KCQ-test" };

type Sent = { origin?: string | null; ip?: string; headers?: Record<string, string> };

function trackingRequest(path: string, body: unknown, sent: Sent): Request {
  const headers: Record<string, string> = { "content-type": "text/plain;charset=UTF-8", "x-forwarded-for": sent.ip ?? address(), ...sent.headers };
  if (sent.origin) headers.origin = sent.origin;
  return new Request(`https://leads.example.test${path}`, { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) });
}

export type Answer<T> = { status: number; headers: Headers; body: T };

async function answerOf<T>(response: Response): Promise<Answer<T>> {
  return { status: response.status, headers: response.headers, body: (await response.json()) as T };
}

export type SessionBody = { number: string | null; replace: string[]; heartbeat: number | null };

/** A page of `site` asking for its number, as track.js does; `raw` sends a body as given. */
export async function askForNumber(site: Site, visitor: string, touch: Partial<Touch> = {}, sent: Sent & { raw?: unknown } = {}): Promise<Answer<SessionBody>> {
  const body = sent.raw ?? { client: site.clientId, visitor, touch: { at: Date.now(), landing: `${site.origin}/`, ...touch }, page: `${site.origin}/` };
  return answerOf(await sessionRoute(trackingRequest("/api/track/session", body, { origin: site.origin, ...sent })));
}

export async function sendHeartbeat(site: Site, visitor: string, number: string, sent: Sent = {}): Promise<Answer<{ held: boolean }>> {
  const body = { client: site.clientId, visitor, number };
  return answerOf(await heartbeatRoute(trackingRequest("/api/track/heartbeat", body, { origin: site.origin, ...sent })));
}

/**
 * Lets time pass for the leases on `numbers`: each ends, and was taken, `minutes` earlier than it
 * did. The database's clock cannot be moved, so the rows are.
 */
export async function ageLeases(numbers: string[], minutes: number): Promise<void> {
  const db = await getDatabase();
  const shift = [numbers, minutes];
  await db.query("update public.number_leases set leased_at = leased_at - make_interval(mins => $2), expires_at = expires_at - make_interval(mins => $2) where tracking_number = any($1)", shift);
  await db.query(
    "update public.visit_leases set leased_at = leased_at - make_interval(mins => $2), expires_at = expires_at - make_interval(mins => $2) where tracking_number = any($1)",
    shift,
  );
}

/** How many seconds from now each number's lease ends (negative once ended), by number. */
export async function leaseEnds(numbers: string[]): Promise<Record<string, number>> {
  const db = await getDatabase();
  const rows = await db.query<{ tracking_number: string; seconds: number }>(
    "select tracking_number, round(extract(epoch from expires_at - now()))::int as seconds from public.number_leases where tracking_number = any($1)",
    [numbers],
  );
  return Object.fromEntries(rows.map((row) => [row.tracking_number, row.seconds]));
}
