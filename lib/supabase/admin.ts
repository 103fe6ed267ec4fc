import { createClient } from "@supabase/supabase-js";

/** Supabase's admin API with the project's secret key: server only, and never a user's session. */
export function createAdminClient(url: string, secretKey: string) {
  return createClient(url, secretKey, {
    auth: { autoRefreshToken: false, persistSession: false, detectSessionInUrl: false },
  });
}
