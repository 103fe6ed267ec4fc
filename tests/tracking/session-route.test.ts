// The session and heartbeat endpoints as a client's page, a foreign page and curl meet them, on the
// embedded database: what a visit is answered, who gets CORS headers, what is refused, and the
// per-address rate limit.
import { describe, expect, it } from "vitest";
import { OPTIONS } from "@/app/api/track/session/route";
import { getDatabase } from "@/lib/db/get-database";
import { TRACKING_REQUESTS_PER_MINUTE } from "@/lib/tracking/tracking-limits";
import { useSeededDatabase } from "../auth/use-seeded-database";
import { address, askForNumber, GOOGLE_AD_CLICK, openSite, sendHeartbeat, visitorId, type Site } from "./tracking-lab";

useSeededDatabase();

const CORS_HEADERS = ["access-control-allow-origin", "access-control-allow-methods", "access-control-allow-headers", "vary"];
const corsHeadersOf = (headers: Headers) => CORS_HEADERS.filter((name) => headers.has(name));

describe("a page on the client's site", () => {
  it("gets its source's number, the client's printed number to replace, no heartbeat, and CORS for its origin", async () => {
    const site = await openSite([{ source: "Google Ads" }, { source: "Website" }]);
    const answer = await askForNumber(site, visitorId(), GOOGLE_AD_CLICK);

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ number: site.numbers[0], replace: [site.primaryNumber], heartbeat: null });
    expect(answer.headers.get("access-control-allow-origin")).toBe(site.origin);
    expect(answer.headers.get("vary")).toBe("Origin");
    expect(answer.headers.get("cache-control")).toBe("no-store");
  });

  it("sends every other visit to the catch-all row, and the first row by number when several answer", async () => {
    const site = await openSite([{ source: "Google Ads" }, { source: "Website" }, { source: undefined }]);
    const catchAll = [site.numbers[1], site.numbers[2]].sort()[0];
    expect((await askForNumber(site, visitorId())).body.number).toBe(catchAll);
    expect((await askForNumber(site, visitorId(), { referrer: "https://www.bing.com/search?q=plumber" })).body.number).toBe(catchAll);
  });

  it("keeps the page's own number when no row answers the visit", async () => {
    const site = await openSite([{ source: "Google Ads" }]);
    expect((await askForNumber(site, visitorId(), { fbclid: "IwAR0test" })).body).toEqual({ number: null, replace: [site.primaryNumber], heartbeat: null });
  });

  it("lets a Swap Rule row take the visits it matches before the built-in sources", async () => {
    const site = await openSite([{ source: "Google Ads" }, { source: "Spring Sale", swapRule: "utm_campaign=spring and landing contains /promo" }]);
    expect((await askForNumber(site, visitorId(), { ...GOOGLE_AD_CLICK, landing: `${site.origin}/promo?gclid=x` })).body.number).toBe(site.numbers[1]);
    expect((await askForNumber(site, visitorId(), GOOGLE_AD_CLICK)).body.number).toBe(site.numbers[0]);
  });

  it("is told to replace the client's Website Numbers when the rows list them, else every Primary Number", async () => {
    const listed = await openSite([{ source: "Website", websiteNumbers: ["+15125550177", "+15125550178"] }, { source: "Google Ads" }]);
    expect((await askForNumber(listed, visitorId())).body.replace).toEqual(["+15125550177", "+15125550178"]);
  });

  it("records the visit with its touch and source, one row per visitor, the latest touch kept", async () => {
    const site = await openSite([{ source: "Google Ads" }]);
    const visitor = visitorId();
    await askForNumber(site, visitor, { referrer: "https://news.example.org/story", landing: `${site.origin}/pipes` });
    await askForNumber(site, visitor, { ...GOOGLE_AD_CLICK, gclid: undefined, gbraid: "gb-123", term: "emergency plumber", content: "ad-2" });

    const db = await getDatabase();
    expect(await db.query("select source, medium, campaign, term, content, click_id, click_id_type, referrer, landing_page from public.visits where client_id = $1", [site.clientId])).toEqual([
      {
        source: "Google Ads",
        medium: "cpc",
        campaign: "spring",
        term: "emergency plumber",
        content: "ad-2",
        click_id: "gb-123",
        click_id_type: "gbraid",
        referrer: null,
        landing_page: GOOGLE_AD_CLICK.landing,
      },
    ]);
  });

  it("answers a page on a subdomain of a Website Domain, and on another port", async () => {
    const site = await openSite([{ source: "Website" }]);
    for (const origin of [`https://shop.${site.domain}`, `http://${site.domain}:8080`]) {
      const answer = await askForNumber(site, visitorId(), {}, { origin });
      expect(answer.status).toBe(200);
      expect(answer.headers.get("access-control-allow-origin")).toBe(origin);
    }
  });
});

describe("a request that is not what the script sends", () => {
  const site = () => openSite([{ source: "Website" }]);
  const body = (s: Site, overrides: Record<string, unknown> = {}) => ({ client: s.clientId, visitor: visitorId(), touch: { at: Date.now() }, page: `${s.origin}/`, ...overrides });

  it.each([
    ["an unknown field", (s: Site) => body(s, { admin: true }), /Unrecognized key/],
    ["an unknown touch field", (s: Site) => body(s, { touch: { at: Date.now(), utm_source: "google" } }), /touch: Unrecognized key/],
    ["a utm value that is too long", (s: Site) => body(s, { touch: { at: Date.now(), campaign: "x".repeat(201) } }), /touch.campaign: must be at most 200/],
    ["a landing page that is not a web address", (s: Site) => body(s, { touch: { at: Date.now(), landing: "javascript:alert(1)" } }), /touch.landing: must be an http\(s\) URL/],
    ["a referrer that is not a web or app address", (s: Site) => body(s, { touch: { at: Date.now(), referrer: "data:text/html,hi" } }), /touch.referrer: must be an http\(s\) or android-app URL/],
    ["a NUL in a value", (s: Site) => body(s, { touch: { at: Date.now(), term: "a\u0000b" } }), /control characters/],
    ["a visitor id of the wrong shape", (s: Site) => body(s, { visitor: "me" }), /visitor:/],
    ["no touch", (s: Site) => body(s, { touch: undefined }), /touch:/],
    ["a body that is not JSON", () => "client=acme", /not JSON/],
    ["a body over 16 KB", (s: Site) => body(s, { page: `${s.origin}/?${"q".repeat(17_000)}` }), /larger than/],
  ])("is refused with 400 for %s, and nothing is recorded", async (_name, make, error) => {
    const s = await site();
    const answer = await askForNumber(s, visitorId(), {}, { raw: make(s) });
    expect(answer.status).toBe(400);
    expect((answer.body as unknown as { error: string }).error).toMatch(error);
    expect(corsHeadersOf(answer.headers)).toEqual([]);
    expect(await (await getDatabase()).query("select 1 from public.visits where client_id = $1", [s.clientId])).toEqual([]);
  });

  it("refuses a heartbeat whose number is not E.164", async () => {
    const s = await site();
    const bad = await sendHeartbeat(s, visitorId(), "512-555-0100");
    expect(bad.status).toBe(400);
    expect(corsHeadersOf(bad.headers)).toEqual([]);
  });
});

describe("a page that may not use the client's numbers", () => {
  it.each([
    ["a foreign site", (site: Site) => ({ origin: "https://evil.example" })],
    ["a site whose name only ends like the domain", (site: Site) => ({ origin: `https://not${site.domain}` })],
    ["no Origin at all (curl)", () => ({ origin: null })],
    ["an opaque origin", () => ({ origin: "null" })],
  ])("gets 403 and no CORS headers from %s", async (_name, sent) => {
    const site = await openSite([{ source: "Website" }]);
    const answer = await askForNumber(site, visitorId(), {}, sent(site));
    expect(answer.status).toBe(403);
    expect(corsHeadersOf(answer.headers)).toEqual([]);
  });

  it("gets the same 403 for an unknown client, an inactive one, and one without Website Domains", async () => {
    const inactive = await openSite([{ source: "Website", active: false }]);
    const noDomains = await openSite([{ source: "Website" }], { domains: [] });
    const ghost: Site = { ...inactive, clientId: "no-such-client" };
    const answers = [await askForNumber(ghost, visitorId()), await askForNumber(inactive, visitorId()), await askForNumber(noDomains, visitorId())];
    const foreign = await askForNumber(noDomains, visitorId(), {}, { origin: "https://evil.example" });
    for (const answer of [...answers, foreign]) {
      expect(answer.status).toBe(403);
      expect(answer.body).toEqual(foreign.body);
      expect(corsHeadersOf(answer.headers)).toEqual([]);
    }
  });

  it("gets no heartbeat answer either", async () => {
    const site = await openSite([{ source: "Website" }]);
    const answer = await sendHeartbeat(site, visitorId(), site.numbers[0], { origin: "https://evil.example" });
    expect(answer.status).toBe(403);
    expect(corsHeadersOf(answer.headers)).toEqual([]);
  });
});

describe("a preflight", () => {
  const preflight = (origin: string) =>
    OPTIONS(new Request("https://leads.example.test/api/track/session", { method: "OPTIONS", headers: { origin, "access-control-request-method": "POST" } }));

  it("is allowed, 204, for an origin in a client's Website Domains, and refused without CORS headers for any other", async () => {
    const site = await openSite([{ source: "Website" }]);
    const allowed = await preflight(`https://shop.${site.domain}`);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get("access-control-allow-origin")).toBe(`https://shop.${site.domain}`);
    expect(allowed.headers.get("access-control-allow-methods")).toBe("POST");

    const refused = await preflight("https://evil.example");
    expect(refused.status).toBe(403);
    expect(corsHeadersOf(refused.headers)).toEqual([]);
  });
});

describe("the per-address rate limit", () => {
  /** Runs `burst` until it fits in one of the database's one-minute windows (a burst rarely straddles two). */
  async function inOneWindow<T>(ip: () => string, burst: (ip: string) => Promise<T>): Promise<T> {
    const db = await getDatabase();
    for (;;) {
      const from = ip();
      const result = await burst(from);
      const [{ windows }] = await db.query<{ windows: number }>("select count(*)::int as windows from internal.rate_limits where key = $1", [`track:${from}`]);
      if (windows === 1) return result;
    }
  }

  it(`answers ${TRACKING_REQUESTS_PER_MINUTE} sessions and heartbeats together a minute, then 429 with Retry-After; another address is unaffected`, async () => {
    const site = await openSite([{ source: "Website" }]);
    const visitor = visitorId();
    const statuses = await inOneWindow(address, async (ip) => {
      const seen: number[] = [];
      for (let n = 0; n < TRACKING_REQUESTS_PER_MINUTE; n += 1) {
        seen.push(n % 2 === 0 ? (await askForNumber(site, visitor, {}, { ip })).status : (await sendHeartbeat(site, visitor, site.numbers[0], { ip })).status);
      }
      const limited = await askForNumber(site, visitor, {}, { ip });
      const limitedHeartbeat = await sendHeartbeat(site, visitor, site.numbers[0], { ip });
      const retryAfter = Number(limited.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(limited.headers.get("access-control-allow-origin")).toBe(site.origin);
      return [...new Set(seen), limited.status, limitedHeartbeat.status];
    });
    expect(statuses).toEqual([200, 429, 429]);
    expect((await askForNumber(site, visitor, {}, { ip: address() })).status).toBe(200);
  });

  it("reads the address from the first X-Forwarded-For entry, else X-Real-IP", async () => {
    const site = await openSite([{ source: "Website" }]);
    const [first, real] = [address(), address()];
    await askForNumber(site, visitorId(), {}, { headers: { "x-forwarded-for": `${first}, 10.0.0.1` } });
    await askForNumber(site, visitorId(), {}, { headers: { "x-forwarded-for": "", "x-real-ip": real } });
    const db = await getDatabase();
    const keys = await db.query<{ key: string }>("select key from internal.rate_limits where key = any($1) order by key", [[`track:${first}`, `track:${real}`]]);
    expect(keys.map((row) => row.key).sort()).toEqual([`track:${first}`, `track:${real}`].sort());
  });
});
