import type { SupabaseClient } from "@supabase/supabase-js";
import type { UserClaims } from "../db/with-user-claims";

/**
 * The claims of the session in the Supabase cookie, verified by getClaims() against the project's
 * signing keys (JWKS), and refreshed first when the access token is about to expire; null for
 * anything that is not a signed-in user's valid, unexpired token.
 */
export async function readSupabaseClaims(supabase: SupabaseClient): Promise<UserClaims | null> {
  try {
    const { data, error } = await supabase.auth.getClaims();
    if (error || !data) return null;
    const { claims } = data;
    if (claims.role !== "authenticated" || typeof claims.sub !== "string" || !claims.sub) return null;
    return { ...claims, sub: claims.sub, role: "authenticated" };
  } catch {
    // auth-js throws (rather than answering an error) on a cookie whose token does not even parse.
    return null;
  }
}
