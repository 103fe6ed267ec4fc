"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { DEV_SESSION_COOKIE } from "@/lib/auth/dev-session";
import { serverEnv } from "@/lib/env";
import { createClient } from "@/lib/supabase/server";

/** Signs this device out: Supabase revokes the session's refresh token and the cookies are cleared. */
export async function signOut(): Promise<void> {
  if (serverEnv().supabase) await (await createClient()).auth.signOut({ scope: "local" });
  const cookieStore = await cookies();
  if (cookieStore.has(DEV_SESSION_COOKIE)) cookieStore.delete(DEV_SESSION_COOKIE);
  redirect("/login");
}
