import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // airtable's AbortSignal check breaks under server minification; pglite and pg load
  // WASM and native-optional modules that must not be bundled.
  serverExternalPackages: ["airtable", "twilio", "@electric-sql/pglite", "pg"],
  poweredByHeader: false,
};

export default nextConfig;
