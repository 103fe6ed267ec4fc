import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // airtable's AbortSignal check breaks under server minification; pglite and pg load
  // WASM and native-optional modules that must not be bundled.
  serverExternalPackages: ["airtable", "twilio", "@electric-sql/pglite", "pg"],
  poweredByHeader: false,
  // Lets the quick-start test run its own `next dev` beside a developer's (Next allows one per folder).
  distDir: process.env.NEXT_DIST_DIR || ".next",
  async headers() {
    return [
      {
        // Every page view of every client's site loads the tracking script: browsers and CDNs keep
        // it for an hour and may serve a stale copy for a day while they fetch the new one.
        source: "/track.js",
        headers: [
          { key: "Content-Type", value: "application/javascript; charset=utf-8" },
          { key: "Cache-Control", value: "public, max-age=3600, stale-while-revalidate=86400" },
        ],
      },
      {
        // Browsers must re-check the service worker on every load so a fix reaches installed apps at once.
        source: "/sw.js",
        headers: [
          { key: "Content-Type", value: "application/javascript; charset=utf-8" },
          { key: "Cache-Control", value: "no-cache, no-store, must-revalidate" },
          { key: "Content-Security-Policy", value: "default-src 'self'; script-src 'self'" },
        ],
      },
    ];
  },
};

export default nextConfig;
