// proxy.ts refreshes Supabase sessions for pages and the inbox's own routes. Twilio's webhooks (the
// hot path, where a redirect would also drop the POST body), jobs, health checks, the public
// tracking endpoints and static files must never run it.
import { unstable_doesMiddlewareMatch } from "next/experimental/testing/server";
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { config, proxy } from "@/proxy";

const runsOn = (path: string) => unstable_doesMiddlewareMatch({ config, url: path });

describe("where proxy.ts runs", () => {
  it.each([
    "/api/twilio/voice",
    "/api/twilio/status?event=dial",
    "/api/twilio/sms",
    "/api/cron/outbox",
    "/api/health",
    "/api/health/live",
    "/api/airtable/webhook",
    "/api/track/number",
    "/_next/static/chunks/main.js",
    "/_next/image?url=%2Ficons%2Ficon-192.png&w=64&q=75",
    "/favicon.ico",
    "/manifest.webmanifest",
    "/sw.js",
    "/track.js",
    "/icons/icon-512.png",
  ])("never on %s", (path) => {
    expect(runsOn(path)).toBe(false);
  });

  it.each(["/", "/login", "/inbox", "/inbox/10000000-0000-4000-a000-000000000001", "/reports", "/team", "/auth/confirm?token_hash=x&type=email", "/api/inbox/changes", "/api/recordings/CA123"])(
    "on %s",
    (path) => {
      expect(runsOn(path)).toBe(true);
    },
  );

  it("without a Supabase project, passes every request through untouched", async () => {
    const response = await proxy(new NextRequest("https://leads.example.test/inbox", { headers: { cookie: "sb-x-auth-token=base64-e30" } }));
    expect(response.headers.get("x-middleware-next")).toBe("1");
    expect(response.cookies.getAll()).toEqual([]);
    expect(response.headers.get("x-middleware-request-cookie")).toBeNull();
  });
});
