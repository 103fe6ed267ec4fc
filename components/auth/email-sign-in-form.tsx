"use client";

import { Mail } from "lucide-react";
import { useActionState } from "react";
import { signInWithEmail, type EmailSignInState } from "@/app/login/actions";

const fieldClass =
  "mt-1 block min-h-11 w-full rounded-md border border-slate-400 bg-white px-3 text-base text-slate-900 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-slate-900";

/** Email and password, or a sign-in link by email: one address field for both. */
export function EmailSignInForm({ next }: { next?: string }) {
  const [state, formAction, pending] = useActionState<EmailSignInState, FormData>(signInWithEmail, {});
  return (
    <form action={formAction} className="space-y-4">
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <div>
        <label htmlFor="sign-in-email" className="text-sm font-medium text-slate-800">
          Email
        </label>
        <input id="sign-in-email" name="email" type="email" autoComplete="email" required defaultValue={state.email} className={fieldClass} />
      </div>
      <div>
        <label htmlFor="sign-in-password" className="text-sm font-medium text-slate-800">
          Password
        </label>
        <input id="sign-in-password" name="password" type="password" autoComplete="current-password" className={fieldClass} />
      </div>
      {state.error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {state.error}
        </p>
      ) : null}
      {state.sent ? (
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
          {state.sent}
        </p>
      ) : null}
      <button
        type="submit"
        name="intent"
        value="password"
        disabled={pending}
        className="min-h-11 w-full rounded-md bg-slate-900 px-4 text-base font-semibold text-white hover:bg-slate-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-slate-900 disabled:opacity-70"
      >
        Sign in
      </button>
      <button
        type="submit"
        name="intent"
        value="link"
        disabled={pending}
        className="inline-flex min-h-11 w-full items-center justify-center gap-2 rounded-md border border-slate-400 bg-white px-4 text-base font-medium text-slate-900 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-slate-900 disabled:opacity-70"
      >
        <Mail aria-hidden="true" className="size-4" />
        Email me a sign-in link
      </button>
    </form>
  );
}
