"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { startDevSession } from "@/lib/auth/dev-session";
import { findDevSignInUser } from "@/lib/auth/list-dev-sign-in-users";
import { safeNextPath } from "@/lib/auth/safe-next-path";
import { signInErrorMessage } from "@/lib/auth/sign-in-error-message";
import { allowsDevSignIn, signInMethod } from "@/lib/auth/sign-in-method";
import { getDatabase } from "@/lib/db/get-database";
import { serverEnv } from "@/lib/env";
import { createClient } from "@/lib/supabase/server";

export type EmailSignInState = { email?: string; error?: string; sent?: string };

const emailSignInSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("password"),
    email: z.email({ message: "Enter your email address, like you@business.com." }),
    password: z.string().min(1, "Enter your password, or choose “Email me a sign-in link”."),
    next: z.string().optional(),
  }),
  z.object({
    intent: z.literal("link"),
    email: z.email({ message: "Enter your email address, like you@business.com." }),
    next: z.string().optional(),
  }),
]);

/** The sign-in form's two buttons: "Sign in" with the password, or "Email me a sign-in link". */
export async function signInWithEmail(_state: EmailSignInState, formData: FormData): Promise<EmailSignInState> {
  const email = String(formData.get("email") ?? "").trim();
  const parsed = emailSignInSchema.safeParse({ ...Object.fromEntries(formData), email });
  if (!parsed.success) return { email, error: parsed.error.issues[0].message };
  const env = serverEnv();
  if (!env.supabase) return { email, error: "Email sign-in needs Supabase Auth, which this server has not been given." };
  const supabase = await createClient();
  const next = safeNextPath(parsed.data.next);

  if (parsed.data.intent === "password") {
    const { error } = await supabase.auth.signInWithPassword({ email, password: parsed.data.password });
    if (error) return { email, error: signInErrorMessage(error) };
    redirect(next);
  }

  const confirmUrl = new URL("/auth/confirm", env.publicBaseUrl);
  if (next !== "/inbox") confirmUrl.searchParams.set("next", next);
  // Only invited people have accounts: a link never creates one. Whether the address has one is
  // not said either way, so the form cannot be used to find out who the agency's clients are.
  const { error } = await supabase.auth.signInWithOtp({ email, options: { shouldCreateUser: false, emailRedirectTo: confirmUrl.toString() } });
  if (error && error.code !== "otp_disabled") return { email, error: signInErrorMessage(error) };
  return { email, sent: `If ${email} has access to Leadline, a sign-in link is on its way. Open it on this device to sign in.` };
}

const devSignInSchema = z.object({ userId: z.guid(), next: z.string().optional() });

/** The development sign-in: one click signs in as that user. Refused wherever it is not allowed, whatever the page showed. */
export async function signInForDevelopment(formData: FormData): Promise<void> {
  const env = serverEnv();
  if (!allowsDevSignIn(signInMethod(env))) redirect("/login?error=dev-sign-in-off");
  const parsed = devSignInSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) redirect("/login");
  const user = await findDevSignInUser(await getDatabase(), parsed.data.userId);
  if (!user) redirect("/login?error=unknown-user");
  startDevSession(env, await cookies(), user);
  redirect(safeNextPath(parsed.data.next));
}
