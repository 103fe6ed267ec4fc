import type { NextRequest } from "next/server";
import { updateSession } from "@/lib/supabase/proxy";

// Keeps the Supabase session cookie fresh. It is not auth: every page, action and route checks the
// viewer itself (lib/auth/get-viewer.ts), and RLS decides what each query reaches.
export async function proxy(request: NextRequest) {
  return updateSession(request);
}

export const config = {
  // Never on Twilio's webhooks (the hot path, and a redirect would drop the POST body), jobs,
  // health checks, the public tracking endpoints, or static files, the manifest and the service worker.
  matcher: [
    "/((?!api/twilio|api/cron|api/health|api/airtable|api/track|_next/static|_next/image|favicon.ico|sw.js|icons/|.*\\.(?:svg|png|jpg|jpeg|gif|webp|ico|js|css|map|txt|xml|json|webmanifest|woff2?)$).*)",
  ],
};
