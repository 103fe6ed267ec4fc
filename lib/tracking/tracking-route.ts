import type { z } from "zod";
import { DatabaseUnavailableError, type Database } from "../db/database";
import { getDatabase } from "../db/get-database";
import { allowedOrigin } from "./allowed-origin";
import { clientIp } from "./client-ip";
import { readSiteConfig, type SiteConfig } from "./read-site-config";
import { readTrackingBody } from "./read-tracking-body";

/** A tracking request that passed every check: its client's site config, its body, its address. */
export type TrackingCall<Body> = { db: Database; site: SiteConfig; body: Body; ip: string };
export type TrackingOutcome<Answer> = { answer: Answer } | { retryAfterSeconds: number };

const NO_STORE = { "cache-control": "no-store" };
// One answer for an unknown or inactive client and for a page on a domain not in its Website
// Domains, so a stranger learns nothing about which client ids exist.
export const TRACKING_REFUSED = "This page may not use this client's tracking numbers.";

/**
 * A POST handler for one of the tracking script's endpoints, the same checks for both: a strict
 * body (400), a known client whose Website Domains hold the page's origin (403, without CORS
 * headers), then the work, whose answer carries the CORS headers (or a 429 with Retry-After). A
 * database that is down or too busy to answer within the deadline gets a 503 with Retry-After.
 */
export function trackingRoute<Body extends { client: string }, Answer>(
  schema: z.ZodType<Body>,
  work: (call: TrackingCall<Body>) => Promise<TrackingOutcome<Answer>>,
) {
  return async function POST(request: Request): Promise<Response> {
    const body = await readTrackingBody(request, schema);
    if (!body.ok) return Response.json({ error: body.error }, { status: 400, headers: NO_STORE });
    try {
      return await answer(request, body.data);
    } catch (error) {
      if (!(error instanceof DatabaseUnavailableError)) throw error;
      // The page keeps its own number; the script asks again on the next page view.
      return Response.json({ error: "Tracking is busy: try again shortly." }, { status: 503, headers: { ...NO_STORE, "retry-after": "5" } });
    }
  };

  async function answer(request: Request, body: Body): Promise<Response> {
    const db = await getDatabase();
    const site = await readSiteConfig(db, body.client);
    const origin = site && allowedOrigin(request.headers.get("origin"), site.domains);
    if (!site || !origin) return Response.json({ error: TRACKING_REFUSED }, { status: 403, headers: NO_STORE });

    const outcome = await work({ db, site, body, ip: clientIp(request.headers) });
    const headers = { ...NO_STORE, "access-control-allow-origin": origin, vary: "Origin" };
    if ("answer" in outcome) return Response.json(outcome.answer, { headers });
    return Response.json(
      { error: "Too many requests from this address: try again in a minute." },
      { status: 429, headers: { ...headers, "retry-after": String(outcome.retryAfterSeconds) } },
    );
  }
}
