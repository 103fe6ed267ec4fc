import { createServerClient } from "@supabase/ssr";
import { NextResponse, type NextRequest } from "next/server";
import { authCookieOptions } from "../auth/auth-cookie-options";
import { serverEnv } from "../env";

/**
 * Refreshes an expiring Supabase session before the page renders: the new cookies go to the page
 * (on the request) and to the browser (on the response), with the headers that keep a CDN from
 * caching one user's cookie for another. Without a Supabase project it changes nothing.
 */
export async function updateSession(request: NextRequest) {
  const { supabase, publicBaseUrl } = serverEnv();
  if (!supabase) return NextResponse.next();

  let supabaseResponse = NextResponse.next({ request });

  const client = createServerClient(supabase.url, supabase.publishableKey, {
    cookieOptions: authCookieOptions(publicBaseUrl),
    cookies: {
      getAll() {
        return request.cookies.getAll();
      },
      setAll(cookiesToSet, headers) {
        cookiesToSet.forEach(({ name, value }) => request.cookies.set(name, value));
        supabaseResponse = NextResponse.next({ request });
        cookiesToSet.forEach(({ name, value, options }) => supabaseResponse.cookies.set(name, value, options));
        Object.entries(headers).forEach(([key, value]) => supabaseResponse.headers.set(key, value));
      },
    },
  });

  // Nothing between creating the client and getClaims(): it is what refreshes the session.
  await client.auth.getClaims();

  return supabaseResponse;
}
