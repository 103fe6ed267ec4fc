import type { ServerEnv } from "../env";

/**
 * How people sign in here: Supabase Auth when a project is configured; otherwise the development
 * sign-in (pick a user, no password), which a production build refuses unless DEMO_MODE=true says
 * on purpose that anyone may sign in as anyone.
 */
export type SignInMethod = "supabase" | "development" | "demo" | "unconfigured";

export function signInMethod(env: Pick<ServerEnv, "supabase" | "nodeEnv" | "demoMode">): SignInMethod {
  if (env.supabase) return "supabase";
  if (env.nodeEnv !== "production") return "development";
  return env.demoMode ? "demo" : "unconfigured";
}

export function allowsDevSignIn(method: SignInMethod): boolean {
  return method === "development" || method === "demo";
}
