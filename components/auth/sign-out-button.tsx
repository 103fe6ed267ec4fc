"use client";

import { LogOut } from "lucide-react";
import { signOut } from "@/app/auth/actions";

// Signing out waits at most this long for the browser's push subscription, then goes regardless.
const PUSH_LOOKUP_MS = 1500;

/**
 * Stops this browser's new-lead pushes before signing out, so the next person on a shared device
 * does not get the last user's callers and texts: unsubscribes it here and sends its endpoint for
 * the server to forget. A browser without push, or one slow to answer, is signed out all the same.
 */
async function unsubscribeFromPush(): Promise<string | null> {
  if (!("serviceWorker" in navigator)) return null;
  let endpoint: string | null = null;
  const unsubscribe = (async () => {
    const registration = await navigator.serviceWorker.ready;
    const subscription = await registration.pushManager?.getSubscription();
    if (!subscription) return;
    endpoint = subscription.endpoint;
    await subscription.unsubscribe();
  })().catch(() => undefined);
  await Promise.race([unsubscribe, new Promise((resolve) => setTimeout(resolve, PUSH_LOOKUP_MS))]);
  return endpoint;
}

async function signOutThisBrowser(form: FormData): Promise<void> {
  const endpoint = await unsubscribeFromPush();
  if (endpoint) form.set("pushEndpoint", endpoint);
  await signOut(form);
}

export function SignOutButton({ className = "" }: { className?: string }) {
  return (
    <form action={signOutThisBrowser}>
      <button
        type="submit"
        className={`inline-flex min-h-11 items-center gap-2 rounded-md px-3 text-sm font-medium text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-slate-900 ${className}`}
      >
        <LogOut aria-hidden="true" className="size-4" />
        Sign out
      </button>
    </form>
  );
}
