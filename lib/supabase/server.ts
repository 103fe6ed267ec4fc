import { createServerClient } from "@supabase/ssr";
import { cookies } from "next/headers";
import { authCookieOptions } from "../auth/auth-cookie-options";
import { serverEnv } from "../env";

/** A Supabase client over this request's cookies, for server components, server actions and route handlers. */
export async function createClient() {
  const { supabase, publicBaseUrl } = serverEnv();
  if (!supabase) {
    throw new Error("Supabase Auth is not configured: set NEXT_PUBLIC_SUPABASE_URL and NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY");
  }
  const cookieStore = await cookies();
  return createServerClient(supabase.url, supabase.publishableKey, {
    cookieOptions: authCookieOptions(publicBaseUrl),
    cookies: {
      getAll() {
        return cookieStore.getAll();
      },
      setAll(cookiesToSet) {
        try {
          cookiesToSet.forEach(({ name, value, options }) => cookieStore.set(name, value, options));
        } catch {
          // A server component cannot set cookies; proxy.ts has already refreshed the session.
        }
      },
    },
  });
}
