import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // airtable's AbortSignal check breaks under server minification; pglite and pg load
  // WASM and native-optional modules that must not be bundled.
  serverExternalPackages: ["airtable", "twilio", "@electric-sql/pglite", "pg"],
  poweredByHeader: false,
  // Lets the quick-start test run its own `next dev` beside a developer's (Next allows one per folder).
  distDir: process.env.NEXT_DIST_DIR || ".next",
};

export default nextConfig;
