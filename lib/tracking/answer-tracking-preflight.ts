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
  const domains = host
    ? await (await getDatabase()).query<{ domain: string }>(
        `select distinct d.domain from public.tracking_numbers t, unnest(t.website_domains) as d(domain)
          where t.active and ($1 = d.domain or right($1, length(d.domain) + 1) = '.' || d.domain)`,
        [host],
      )
    : [];
  const allowed = allowedOrigin(origin, domains.map((row) => row.domain));
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
