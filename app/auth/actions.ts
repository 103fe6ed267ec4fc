"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { DEV_SESSION_COOKIE } from "@/lib/auth/dev-session";
import { getViewer } from "@/lib/auth/get-viewer";
import { getDatabase } from "@/lib/db/get-database";
import { serverEnv } from "@/lib/env";
import { pushEndpointSchema } from "@/lib/push/push-subscription";
import { removePushSubscription } from "@/lib/push/remove-push-subscription";
import { createClient } from "@/lib/supabase/server";

/**
 * Signs this device out: this browser's push subscription (its endpoint posted by
 * components/auth/sign-out-button.tsx) is forgotten if it is the user's, Supabase revokes the
 * session's refresh token and the cookies are cleared.
 */
export async function signOut(form?: FormData): Promise<void> {
  const endpoint = pushEndpointSchema.safeParse(form?.get("pushEndpoint"));
  const viewer = endpoint.success ? await getViewer() : null;
  if (viewer && endpoint.success) await removePushSubscription(await getDatabase(), viewer, endpoint.data);
  if (serverEnv().supabase) await (await createClient()).auth.signOut({ scope: "local" });
  const cookieStore = await cookies();
  if (cookieStore.has(DEV_SESSION_COOKIE)) cookieStore.delete(DEV_SESSION_COOKIE);
  redirect("/login");
}
