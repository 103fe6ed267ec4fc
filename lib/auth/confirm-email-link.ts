import type { SupabaseClient } from "@supabase/supabase-js";
import { z } from "zod";

/**
 * The query of a link from a Supabase email: `token_hash` and `type` (the templates this app
 * documents, which work in any browser), or `code` (the default templates' PKCE redirect, which
 * works in the browser that asked for the link).
 */
export const emailLinkSchema = z.union([
  z.object({ token_hash: z.string().min(1), type: z.enum(["email", "magiclink", "invite", "signup"]) }),
  z.object({ code: z.string().min(1) }),
]);
export type EmailLink = z.infer<typeof emailLinkSchema>;

/** Exchanges the link for a session (written to the cookies by the client); false when it is spent or invalid. */
export async function confirmEmailLink(supabase: SupabaseClient, link: EmailLink): Promise<boolean> {
  const { error } =
    "code" in link
      ? await supabase.auth.exchangeCodeForSession(link.code)
      : await supabase.auth.verifyOtp({ token_hash: link.token_hash, type: link.type });
  return !error;
}
