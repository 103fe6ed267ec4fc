// GET /auth/confirm – the link in a Supabase sign-in or invitation email: signs the person in and
// sends them on to the inbox (or ?next=), or back to /login saying the link did not work.
import { redirect } from "next/navigation";
import type { NextRequest } from "next/server";
import { confirmEmailLink, emailLinkSchema } from "@/lib/auth/confirm-email-link";
import { safeNextPath } from "@/lib/auth/safe-next-path";
import { serverEnv } from "@/lib/env";
import { createClient } from "@/lib/supabase/server";

export async function GET(request: NextRequest): Promise<never> {
  const link = emailLinkSchema.safeParse(Object.fromEntries(request.nextUrl.searchParams));
  if (!link.success || !serverEnv().supabase) redirect("/login?error=link");
  const signedIn = await confirmEmailLink(await createClient(), link.data);
  redirect(signedIn ? safeNextPath(request.nextUrl.searchParams.get("next")) : "/login?error=link");
}
