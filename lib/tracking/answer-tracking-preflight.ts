import { getDatabase } from "../db/get-database";
import { allowedOrigin } from "./allowed-origin";
import { TRACKING_REFUSED } from "./tracking-route";

/**
 * OPTIONS for the tracking endpoints. The script's requests are CORS "simple" ones and need no
 * preflight, but a browser or extension that sends one anyway gets the same rule: an origin in
 * some active client's Website Domains (the body, and so the client, is not known yet).
 */
export async function answerTrackingPreflight(request: Request): Promise<Response> {
  const origin = request.headers.get("origin");
  const host = origin ? URL.parse(origin)?.hostname : undefined;
  // The host and each domain above it ("shop.acme.com", "acme.com", "com"): a row lists one of
  // them exactly when it allows this origin, which the GIN index on website_domains answers.
  const candidates = host ? host.split(".").map((_, i, labels) => labels.slice(i).join(".")) : [];
  const [listed] = host
    ? await (await getDatabase()).query<{ listed: boolean }>(
        "select exists (select 1 from public.tracking_numbers where website_domains && $1::text[] and active) as listed",
        [candidates],
      )
    : [];
  const allowed = listed?.listed ? allowedOrigin(origin, candidates) : undefined;
  if (!allowed) return Response.json({ error: TRACKING_REFUSED }, { status: 403, headers: { "cache-control": "no-store" } });
  return new Response(null, {
    status: 204,
    headers: {
      "access-control-allow-origin": allowed,
      "access-control-allow-methods": "POST",
      "access-control-allow-headers": "content-type",
      "access-control-max-age": "86400",
      vary: "Origin",
    },
  });
}
