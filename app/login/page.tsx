import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { DevSignInList } from "@/components/auth/dev-sign-in-list";
import { EmailSignInForm } from "@/components/auth/email-sign-in-form";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { getSignIn } from "@/lib/auth/get-viewer";
import { listDevSignInUsers } from "@/lib/auth/list-dev-sign-in-users";
import { safeNextPath } from "@/lib/auth/safe-next-path";
import { signInMethod } from "@/lib/auth/sign-in-method";
import { getDatabase } from "@/lib/db/get-database";
import { serverEnv } from "@/lib/env";

export const metadata: Metadata = { title: "Sign in · Leadline" };

const ERRORS: Record<string, string> = {
  link: "That sign-in link has expired or was already used. Ask for a new one below.",
  "dev-sign-in-off": "The development sign-in is off on this server.",
  "unknown-user": "That user has no access any more. Choose another one.",
};

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function LoginPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const next = typeof params.next === "string" ? safeNextPath(params.next) : undefined;
  const { claims, viewer } = await getSignIn();
  if (viewer) redirect(next ?? "/inbox");

  const env = serverEnv();
  const method = signInMethod(env);
  const error = typeof params.error === "string" ? ERRORS[params.error] : undefined;

  return (
    <main className="mx-auto flex min-h-screen w-full max-w-md flex-col justify-center px-4 py-10">
      <p className="text-sm font-semibold tracking-wide text-slate-700 uppercase">Leadline</p>
      <h1 className="mt-1 text-2xl font-semibold tracking-tight text-slate-900">Sign in to your inbox</h1>

      {claims ? (
        <div role="alert" className="mt-6 space-y-3 rounded-lg border border-amber-300 bg-amber-50 p-4 text-amber-950">
          <p>
            You are signed in{typeof claims.email === "string" ? ` as ${claims.email}` : ""}, but this account has no access to
            Leadline yet. Ask your agency to invite you, or sign out and use another account.
          </p>
          <SignOutButton className="bg-white" />
        </div>
      ) : null}
      {error ? (
        <p role="alert" className="mt-6 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      ) : null}

      <div className="mt-6">
        {method === "supabase" ? <EmailSignInForm next={next} /> : null}
        {method === "development" || method === "demo" ? (
          <section aria-labelledby="dev-sign-in-heading" className="space-y-4">
            <h2 id="dev-sign-in-heading" className="text-lg font-semibold text-slate-900">
              {method === "demo" ? "Demo sign-in" : "Development sign-in"}
            </h2>
            <p className="text-sm text-slate-700">
              {method === "demo"
                ? "This is a public demo: anyone can sign in as any of these users, with no password."
                : "No Supabase project is configured, so pick a user to sign in as. A production server refuses this unless DEMO_MODE=true."}
            </p>
            <DevSignInList users={await listDevSignInUsers(await getDatabase())} next={next} />
          </section>
        ) : null}
        {method === "unconfigured" ? (
          <p className="rounded-md border border-slate-300 bg-white p-4 text-slate-800">
            Sign-in is not configured. Set <code>NEXT_PUBLIC_SUPABASE_URL</code> and <code>NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY</code>{" "}
            to your Supabase project&apos;s, or set <code>DEMO_MODE=true</code> to run this server as a public demo.
          </p>
        ) : null}
      </div>
    </main>
  );
}
