import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import type { UserClaims } from "../db/with-user-claims";
import { getDatabase } from "../db/get-database";
import { serverEnv } from "../env";
import { createClient } from "../supabase/server";
import { readDevSessionClaims } from "./dev-session";
import { loadViewer } from "./load-viewer";
import { readSupabaseClaims } from "./read-supabase-claims";
import { safeNextPath } from "./safe-next-path";
import type { Viewer } from "./viewer";

/** Who is signed in: their verified claims, and the viewer their membership makes them (null without one). */
export type SignIn = { claims: UserClaims | null; viewer: Viewer | null };

/** Read once per request, however many components, actions and routes ask. */
export const getSignIn = cache(async (): Promise<SignIn> => {
  // Cookies first: it marks every page that asks as dynamic, so `next build` (which has no
  // environment) never renders a signed-in page and never reads the environment.
  const cookieStore = await cookies();
  const env = serverEnv();
  const claims = env.supabase ? await readSupabaseClaims(await createClient()) : readDevSessionClaims(env, cookieStore);
  if (!claims) return { claims: null, viewer: null };
  return { claims, viewer: await loadViewer(await getDatabase(), claims) };
});

export async function getViewer(): Promise<Viewer | null> {
  return (await getSignIn()).viewer;
}

/**
 * The viewer, or a redirect: to /login when signed out (coming back to `returnTo` afterwards),
 * and to /login?error=no-access when signed in without a membership.
 */
export async function requireViewer(returnTo?: string): Promise<Viewer> {
  const { claims, viewer } = await getSignIn();
  if (viewer) return viewer;
  if (claims) redirect("/login?error=no-access");
  redirect(returnTo ? `/login?next=${encodeURIComponent(safeNextPath(returnTo))}` : "/login");
}
